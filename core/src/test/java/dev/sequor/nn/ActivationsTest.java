package dev.sequor.nn;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

import static dev.sequor.nn.Fixtures.BE;
import static dev.sequor.nn.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActivationsTest {

    private static void checkElementwise(String name, Layer layer, DoubleUnaryOperator exact) {
        Tensor x = Fixtures.param(7, -3, 3, 3, 4);
        float[] in = x.toFloatArray();
        double[] expected = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            expected[i] = exact.applyAsDouble(in[i]);
        }
        assertClose(name, layer.forward(x).toFloatArray(), expected, 1e-6);
        GradCheck.create().check(name, t -> layer.forward(t[0]), x);
    }

    @Test
    void tanhSigmoidReluGeluMatchTheirFormulasAndGradients() {
        checkElementwise("Tanh", new Tanh(), Math::tanh);
        checkElementwise("Sigmoid", new Sigmoid(), v -> 1 / (1 + Math.exp(-v)));
        checkElementwise("ReLU", new ReLU(), v -> Math.max(v, 0));
        checkElementwise("GELU", new GELU(), v -> 0.5 * v * (1 + erf(v / Math.sqrt(2))));
        checkElementwise("GELU tanh", new GELU(true),
                v -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
    }

    @Test
    void softmaxNormalisesTheChosenAxis() {
        Tensor x = Fixtures.param(8, -2, 2, 2, 3, 4);
        float[] in = x.toFloatArray();
        double[] expected = new double[in.length];
        for (int a = 0; a < 2; a++) {
            for (int c = 0; c < 4; c++) {       // axis 1 has stride 4
                double sum = 0;
                for (int j = 0; j < 3; j++) {
                    sum += Math.exp(in[a * 12 + j * 4 + c]);
                }
                for (int j = 0; j < 3; j++) {
                    expected[a * 12 + j * 4 + c] = Math.exp(in[a * 12 + j * 4 + c]) / sum;
                }
            }
        }
        Softmax softmax = new Softmax(1);
        assertClose("Softmax(1)", softmax.forward(x).toFloatArray(), expected, 1e-6);
        GradCheck.create().check("Softmax(1)", t -> softmax.forward(t[0]), x);
        GradCheck.create().check("logSoftmax(-1)", t -> Functional.logSoftmax(t[0], -1), x);
    }

    @Test
    void sequentialChainsLayersWithPyTorchNames() {
        Sequential net = new Sequential(new Linear(BE, 3, 4, true, Seed.of(1)), new Tanh(), new Linear(BE, 4, 2, true, Seed.of(2)));
        assertThat(net.namedParameters().keySet()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
        Tensor x = Fixtures.param(9, -1, 1, 5, 3);
        Linear l0 = (Linear) net.children().get("0");
        Linear l2 = (Linear) net.children().get("2");
        Function<Tensor[], Tensor> byHand = t -> l2.forward(l0.forward(t[0]).tanh());
        assertThat(net.forward(x).toFloatArray()).containsExactly(byHand.apply(new Tensor[] {x}).toFloatArray());
        GradCheck.create().check("Sequential", t -> net.forward(t[0]), x, l0.weight(), l2.bias());
        assertThatThrownBy(() -> new Sequential(new Module() { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a Layer");
    }

    /** Abramowitz-Stegun 7.1.26 is too coarse here; integrate the series instead (|x| <= 3). */
    private static double erf(double x) {
        double sum = 0;
        double term = x;
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
