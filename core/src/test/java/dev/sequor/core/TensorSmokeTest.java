package dev.sequor.core;

import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TensorSmokeTest {

    private final Backend be = Backends.get("reference");

    @Test
    void matmulAndBroadcastGradients() {
        Tensor a = Tensor.of(be, new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor w = Tensor.of(be, new float[] {1, 0, -1, 2, 1, 0}, 3, 2).requiresGrad(true);
        Tensor b = Tensor.of(be, new float[] {0.5f, -0.5f}, 2).requiresGrad(true);
        Tensor y = a.matmul(w).add(b).tanh().sum();
        y.backward();
        // y = sum tanh(a w + b); check against hand-computed values
        float[] z = {1 * 1 + 2 * -1 + 3 * 1 + 0.5f, 1 * 0 + 2 * 2 + 3 * 0 - 0.5f,
            4 * 1 + 5 * -1 + 6 * 1 + 0.5f, 4 * 0 + 5 * 2 + 6 * 0 - 0.5f};
        double expected = 0;
        for (float v : z) {
            expected += Math.tanh(v);
        }
        assertThat(y.item()).isCloseTo((float) expected, within(1e-6f));
        float[] gb = b.grad().toFloatArray();
        assertThat(gb[0]).isCloseTo((float) ((1 - sq(Math.tanh(z[0]))) + (1 - sq(Math.tanh(z[2])))), within(1e-6f));
        assertThat(a.grad().shape()).containsExactly(2, 3);
        assertThat(w.grad().shape()).containsExactly(3, 2);
    }

    private static double sq(double v) {
        return v * v;
    }

    @Test
    void shapeMismatchNamesOpAndShapes() {
        Tensor a = Tensor.zeros(be, 2, 3);
        Tensor b = Tensor.zeros(be, 4, 3);
        assertThatThrownBy(() -> a.add(b)).hasMessageContaining("add").hasMessageContaining("[2, 3]")
                .hasMessageContaining("[4, 3]");
    }

    @Test
    void closedTensorSaysSo() {
        Tensor a = Tensor.zeros(be, 2);
        a.close();
        assertThatThrownBy(a::toFloatArray).hasMessageContaining("closed");
    }

    @Test
    void scopeFreesIntermediates() {
        long before = be.liveBuffers();
        Tensor kept;
        try (Scope s = Tensor.scope()) {
            Tensor x = Tensor.ones(be, 3, 3);
            kept = s.keep(x.mul(2f).exp().sum());
        }
        assertThat(be.liveBuffers()).isEqualTo(before + 1);
        kept.close();
        assertThat(be.liveBuffers()).isEqualTo(before);
    }

    @Test
    void softmaxConcatNarrowRoundTrip() {
        Tensor x = Tensor.of(be, new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor s = x.softmax(-1);
        Tensor c = Tensor.concat(0, s, x.narrow(1, 0, 3));
        c.mul(c).sum().backward();
        assertThat(x.grad()).isNotNull();
        assertThat(s.sum(1, false).toFloatArray()).containsExactly(new float[] {1f, 1f}, within(1e-6f));
        System.out.println(c);
    }
}
