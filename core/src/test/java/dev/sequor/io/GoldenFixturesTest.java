package dev.sequor.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads files written by PyTorch's side ({@code tools/golden/safetensors_io.py}, header keys sorted and
 * data in insertion order) and every fixture in core's test resources.
 */
class GoldenFixturesTest {
    // Surefire runs tests with the module directory as the working directory.
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @Test
    void dtypeFixtureMatchesPyTorchsOwnConversion() throws IOException {
        SafeTensorsFile f = SafeTensors.read(GOLDEN.resolve("io_dtypes.safetensors"));
        assertThat(f.names()).containsExactly("f32", "f16", "f16.as_f32", "bf16", "bf16.as_f32", "f64",
                "f64.as_f32", "scalar", "empty", "n\u00e4me/with.unicode");
        assertThat(f.storedDtype("f16")).isEqualTo(DType.F16);
        assertThat(f.storedDtype("bf16")).isEqualTo(DType.BF16);
        assertThat(f.storedDtype("f64")).isEqualTo(DType.F64);
        for (String d : List.of("f16", "bf16", "f64")) {
            TensorData converted = f.get(d);
            TensorData byTorch = f.get(d + ".as_f32");
            assertThat(converted.shape()).isEqualTo(byTorch.shape());
            for (int i = 0; i < converted.size(); i++) {
                assertThat(Float.floatToIntBits(converted.get(i))).as("%s[%d]", d, i)
                        .isEqualTo(Float.floatToIntBits(byTorch.get(i)));
            }
        }
        TensorData f32 = f.get("f32");
        assertThat(f32.shape()).containsExactly(3, 4);
        assertThat(Float.floatToRawIntBits(f32.get(0))).isEqualTo(0x80000000);
        assertThat(f32.get(1)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(f32.get(2)).isEqualTo(Float.MIN_VALUE);
        assertThat(f.get("f64").get(0)).isEqualTo(1.0f);
        assertThat(f.get("f64").get(1)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(f.get("scalar").shape()).isEmpty();
        assertThat(f.get("scalar").data()).containsExactly(2.5f);
        assertThat(f.get("empty").shape()).containsExactly(0, 3);
        assertThat(f.get("n\u00e4me/with.unicode").data()).containsExactly(0f, 1f, 2f, 3f);
        assertThat(f.metadata()).containsEntry("format", "pt")
                .containsEntry("note", "quote \" backslash \\ newline \n tab \t");
        Map<?, ?> config = (Map<?, ?>) Json.parse(f.metadata().get("config"));
        assertThat(config.get("name")).isEqualTo("caf\u00e9");
        assertThat(config.get("hidden_size")).isEqualTo(8L);
    }

    @Test
    void everyCoreFixtureReads() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(GOLDEN)) {
            files = s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(18);
        for (Path p : files) {
            SafeTensorsFile f = SafeTensors.read(p);
            assertThat(f.names()).as(p.toString()).isNotEmpty();
            assertThat(Json.parse(f.metadata().get("config"))).as(p.toString()).isInstanceOf(Map.class);
            if (!p.getFileName().toString().startsWith("io_")) {
                checkNamingConventions(p, f);
            }
        }
    }

    /** The README's promises: every grad.X and input.dX has its partner with the same shape, all F32. */
    private static void checkNamingConventions(Path p, SafeTensorsFile f) {
        for (String name : f.names()) {
            assertThat(f.storedDtype(name)).as("%s %s", p, name).isEqualTo(DType.F32);
            assertThat(name).as(p.toString()).matches("(param|input|output|grad)\\..+");
            if (name.startsWith("grad.")) {
                String base = name.substring(5);
                String partner = f.contains("input." + base) ? "input." + base : "param." + base;
                assertThat(f.contains(partner)).as("%s: %s has no %s", p, name, partner).isTrue();
                assertThat(f.get(name).shape()).as(name).isEqualTo(f.get(partner).shape());
            }
        }
        // Optimizer traces have no loss; every other fixture records the loss its gradients belong to.
        boolean optimizer = p.getFileName().toString().startsWith("optim_");
        assertThat(f.contains("output.loss")).as("%s has output.loss", p).isEqualTo(!optimizer);
    }
}
