package dev.sequor.io;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Module;
import dev.sequor.nn.Sequential;
import dev.sequor.nn.Tanh;
import dev.sequor.text.CharTokenizer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFileTest {

    /** A two-layer perceptron whose configuration is {"in":I,"hidden":H,"out":O}. */
    static final ModelKind MLP = new ModelKind() {
        @Override
        public String name() {
            return "test-mlp";
        }

        @Override
        public Module build(String configJson) {
            if (!(Json.parse(configJson) instanceof Map<?, ?> c)) {
                throw new IllegalArgumentException("configuration must be an object");
            }
            int in = ((Number) c.get("in")).intValue();
            int hidden = ((Number) c.get("hidden")).intValue();
            int out = ((Number) c.get("out")).intValue();
            return new Sequential(new Linear(in, hidden, Seed.of(1)), new Tanh(), new Linear(hidden, out, Seed.of(2)));
        }
    };

    @BeforeAll
    static void register() {
        ModelFile.register(MLP);
    }

    private static Sequential trainedLooking() {
        Sequential m = (Sequential) MLP.build("{\"in\":4,\"hidden\":8,\"out\":3}");
        try (var s = Tensor.scope()) {
            for (Tensor p : m.parameters()) {
                p.addInPlace(Tensor.normal(0f, 0.5f, Seed.of(99), p.shape()), 1f); // not the fresh initialisation
            }
        }
        return m;
    }

    @Test
    void savesAndLoadsAWholeModelWithItsTokenizer(@TempDir Path dir) {
        Sequential m = trainedLooking();
        Path file = dir.resolve("mlp.safetensors");
        CharTokenizer tok = CharTokenizer.fit("hello wörld");
        ModelFile.save(file, m, "test-mlp", "{\"in\":4,\"hidden\":8,\"out\":3}", tok, Map.of("sequor.step", "7"));

        ModelFile.Model back = ModelFile.load(file);
        Tensor x = Tensor.normal(0f, 1f, Seed.of(5), 2, 4);
        assertThat(((Sequential) back.model()).forward(x).toFloatArray()).containsExactly(m.forward(x).toFloatArray());
        assertThat(back.file().tokenizer().encode("wörld")).containsExactly(tok.encode("wörld"));
        assertThat(back.file().metadata()).containsEntry("sequor.step", "7");
        assertThat(Files.exists(file)).isTrue();
        assertThat(dir.toFile().list()).containsExactly("mlp.safetensors"); // no temporary file left beside it
    }

    @Test
    void refusesMismatchedUnknownAndCorruptFilesNamingTheFault(@TempDir Path dir) throws Exception {
        Sequential m = trainedLooking();
        Path file = dir.resolve("mlp.safetensors");
        ModelFile.save(file, m, "test-mlp", "{\"in\":4,\"hidden\":8,\"out\":3}", null, Map.of());

        assertThatThrownBy(() -> ModelFile.read(file, "charlm"))
                .hasMessageContaining("holds a 'test-mlp' model, not a 'charlm' model");

        Map<String, TensorData> tensors = new LinkedHashMap<>(SafeTensors.read(file).tensors());
        tensors.remove("2.bias");
        Path missing = dir.resolve("missing.safetensors");
        SafeTensors.write(missing, tensors, Map.of(ModelFile.KIND, "test-mlp", ModelFile.CONFIG,
                "{\"in\":4,\"hidden\":8,\"out\":3}"));
        assertThatThrownBy(() -> ModelFile.load(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match its configuration").hasMessageContaining("2.bias");

        Path unknown = dir.resolve("unknown.safetensors");
        SafeTensors.write(unknown, tensors, Map.of(ModelFile.KIND, "no-such-kind", ModelFile.CONFIG, "{}"));
        assertThatThrownBy(() -> ModelFile.load(unknown)).hasMessageContaining("'no-such-kind'")
                .hasMessageContaining("test-mlp");

        Path plain = dir.resolve("plain.safetensors");
        SafeTensors.write(plain, tensors);
        assertThatThrownBy(() -> ModelFile.load(plain)).hasMessageContaining("not a Sequor model");

        Path corrupt = dir.resolve("corrupt.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(corrupt, Arrays.copyOf(bytes, bytes.length - 5));
        assertThatThrownBy(() -> ModelFile.load(corrupt)).hasMessageContaining("is corrupt");
        assertThatThrownBy(() -> ModelFile.load(dir.resolve("absent"))).hasMessageContaining("does not exist");
    }
}
