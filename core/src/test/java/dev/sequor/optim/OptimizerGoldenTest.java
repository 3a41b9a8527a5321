package dev.sequor.optim;

import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsFile;
import dev.sequor.io.TensorData;
import dev.sequor.spi.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;

/**
 * Three optimizer steps against PyTorch's traces (tools/golden/gen_core.py, {@code optim_*}): from
 * {@code param.w} (3,4) and {@code param.b} (4), gradients {@code input.grad<s>.*} are applied and the
 * parameters after each step must equal {@code output.step<s>.*} to 1e-6 relative.
 */
class OptimizerGoldenTest {

    private static final Backend BE = Backends.get("reference");
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    static Stream<Arguments> fixtures() {
        return Stream.of(
                fixture("optim_sgd", p -> new Sgd(p, SgdConfig.of(0.1))),
                fixture("optim_sgd_momentum", p -> new Sgd(p, SgdConfig.of(0.1).withMomentum(0.9))),
                fixture("optim_sgd_nesterov_wd", p -> new Sgd(p,
                        SgdConfig.of(0.1).withMomentum(0.9).withNesterov(true).withWeightDecay(0.01))),
                fixture("optim_sgd_momentum_dampening_wd", p -> new Sgd(p,
                        SgdConfig.of(0.05).withMomentum(0.8).withDampening(0.3).withWeightDecay(0.05))),
                fixture("optim_adam", p -> new Adam(p, AdamConfig.adam(0.01))),
                fixture("optim_adam_l2", p -> new Adam(p,
                        AdamConfig.adam(0.01).withBetas(0.8, 0.99).withEps(1e-6).withWeightDecay(0.1))),
                fixture("optim_adam_amsgrad", p -> new Adam(p, AdamConfig.adam(0.01).withAmsgrad(true))),
                fixture("optim_adamw", p -> new AdamW(p, AdamConfig.adamW(0.01).withWeightDecay(0.1))));
    }

    private static Arguments fixture(String name, Function<Map<String, Tensor>, Optimizer> make) {
        return Arguments.of(name, make);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void matchesPyTorch(String name, Function<Map<String, Tensor>, Optimizer> make) throws IOException {
        SafeTensorsFile f = SafeTensors.read(GOLDEN.resolve(name + ".safetensors"));
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String p : new String[] {"w", "b"}) {
            params.put(p, tensor(f.get("param." + p)).requiresGrad(true));
        }
        Optimizer opt = make.apply(params);
        for (int s = 1; s <= 3; s++) {
            opt.zeroGrad();
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                setGrad(e.getValue(), tensor(f.get("input.grad" + s + "." + e.getKey())));
            }
            opt.step();
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                assertClose(name + " step " + s + " " + e.getKey(), e.getValue().toFloatArray(),
                        f.get("output.step" + s + "." + e.getKey()).data());
            }
        }
    }

    static Tensor tensor(TensorData d) {
        return Tensor.of(BE, d.data(), d.data().length).reshape(d.shape()).detach();
    }

    /** Makes {@code p.grad()} exactly {@code g}: d/dp sum(p * g) = g, with no rounding. */
    static void setGrad(Tensor p, Tensor g) {
        p.mul(g).sum().backward();
    }

    static void assertClose(String what, float[] actual, float[] expected) {
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= 1e-6 * Math.abs(expected[i]))) { // measured worst: 4.8e-7
                fail("%s [%d]: %.9g, PyTorch %.9g (relative %.3g)", what, i, actual[i], expected[i],
                        err / Math.abs(expected[i]));
            }
        }
    }
}
