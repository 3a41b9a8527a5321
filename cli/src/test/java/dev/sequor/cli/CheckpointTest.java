package dev.sequor.cli;

import dev.sequor.cli.io.Checkpoint;
import dev.sequor.cli.seq2seq.DateTask;
import dev.sequor.cli.seq2seq.Seq2Seq;
import dev.sequor.cli.seq2seq.Seq2SeqConfig;
import dev.sequor.cli.seq2seq.Seq2SeqTraining;
import dev.sequor.cli.text.Vocabulary;
import dev.sequor.core.Backends;
import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsFile;
import dev.sequor.io.TensorData;
import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointTest {

    static final Vocabulary VOCAB = Vocabulary.of(DateTask.alphabet());

    @TempDir
    Path dir;

    static float[] logits(Seq2Seq m, List<DateTask.Pair> pairs) {
        try (Grad g = Grad.disabled(); var s = Tensor.scope()) {
            var b = Seq2SeqTraining.batch(pairs, VOCAB, m.backend());
            var enc = m.encode(b.src(), b.lengths());
            return m.decode(enc, b.decIn(), enc.initial(), false).logits().toFloatArray();
        }
    }

    @Test
    void roundTripGivesTheSameOutputsOnThisAndAnotherBackend() {
        Seq2SeqConfig cfg = new Seq2SeqConfig(VOCAB.size(), 8, 8, 16, "gru", "bahdanau", 9);
        Backend session = Backends.get();
        Seq2Seq a = new Seq2Seq(session, cfg);
        Path file = dir.resolve("m.safetensors");
        Checkpoint.save(file, "seq2seq", cfg.toJson(), VOCAB, a.stateData(), Map.of("sequor.steps", "0"));

        Checkpoint.Loaded ck = Checkpoint.load(file, "seq2seq");
        assertThat(Seq2SeqConfig.fromJson(ck.config())).isEqualTo(cfg);
        assertThat(ck.vocab().toJson()).isEqualTo(VOCAB.toJson());
        List<DateTask.Pair> pairs = DateTask.sample(4, 1);
        float[] want = logits(a, pairs);

        Seq2Seq same = new Seq2Seq(session, new Seq2SeqConfig(VOCAB.size(), 8, 8, 16, "gru", "bahdanau", 777));
        Checkpoint.restore(ck, same);
        // Not bitwise: cpu-simd's last bit can change once the JIT compiles its vector kernels
        // (see backend-cpu-simd DeterminismTest); the weights themselves round-trip exactly.
        float[] again = logits(same, pairs);
        for (int i = 0; i < want.length; i++) {
            assertThat(again[i]).isCloseTo(want[i], org.assertj.core.api.Assertions.within(1e-6f));
        }

        Seq2Seq onReference = new Seq2Seq(Backends.get("reference"), Seq2SeqConfig.fromJson(ck.config()));
        Checkpoint.restore(ck, onReference);
        float[] got = logits(onReference, pairs);
        for (int i = 0; i < want.length; i++) {
            assertThat(got[i]).isCloseTo(want[i], org.assertj.core.api.Assertions.within(1e-4f));
        }
        assertThat(Seq2SeqTraining.translate(onReference, VOCAB, pairs, 4, 12))
                .isEqualTo(Seq2SeqTraining.translate(a, VOCAB, pairs, 4, 12));
    }

    @Test
    void aFileThatDisagreesWithItsConfigurationIsRefused() throws Exception {
        Seq2SeqConfig cfg = new Seq2SeqConfig(VOCAB.size(), 8, 8, 16, "gru", "luong", 9);
        Seq2Seq a = new Seq2Seq(Backends.get(), cfg);
        Path file = dir.resolve("m.safetensors");
        Seq2SeqConfig lie = new Seq2SeqConfig(VOCAB.size(), 8, 8, 24, "gru", "luong", 9);
        Checkpoint.save(file, "seq2seq", lie.toJson(), VOCAB, a.stateData(), Map.of());
        Checkpoint.Loaded ck = Checkpoint.load(file, "seq2seq");
        Seq2Seq b = new Seq2Seq(Backends.get(), Seq2SeqConfig.fromJson(ck.config()));
        assertThatThrownBy(() -> Checkpoint.restore(ck, b)).hasMessageContaining("does not match its configuration")
                .hasMessageContaining("decoderHidden\":24").hasMessageContaining("expected shape");
    }

    @Test
    void otherKindsAndPlainSafetensorsAreRefused() throws Exception {
        Seq2SeqConfig cfg = new Seq2SeqConfig(VOCAB.size(), 8, 8, 16, "gru", "luong", 9);
        Path file = dir.resolve("m.safetensors");
        Checkpoint.save(file, "seq2seq", cfg.toJson(), VOCAB, new Seq2Seq(Backends.get(), cfg).stateData(), Map.of());
        assertThatThrownBy(() -> Checkpoint.load(file, "charlm")).hasMessageContaining("holds a 'seq2seq' model");
        Path plain = dir.resolve("plain.safetensors");
        SafeTensors.write(plain, Map.of("w", TensorData.of(new int[] {2}, new float[] {1, 2})));
        assertThatThrownBy(() -> Checkpoint.load(plain, "seq2seq")).hasMessageContaining("not a Sequor checkpoint");
        SafeTensorsFile f = SafeTensors.read(file);
        Map<String, String> meta = new HashMap<>(f.metadata());
        meta.put(Checkpoint.CONFIG, "{\"vocabSize\": 10");
        Path broken = dir.resolve("broken.safetensors");
        SafeTensors.write(broken, f.tensors(), meta);
        Checkpoint.Loaded ck = Checkpoint.load(broken, "seq2seq");
        assertThatThrownBy(() -> Seq2SeqConfig.fromJson(ck.config())).hasMessageContaining("not valid JSON");
    }
}
