package dev.sequor.optim;

import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Gradient clipping against hand-computed values. */
class ClipTest {

    private static final Backend BE = Backends.get("reference");

    private static Tensor withGrad(float... g) {
        Tensor p = Tensor.zeros(BE, g.length).requiresGrad(true);
        OptimizerGoldenTest.setGrad(p, Tensor.of(BE, g));
        return p;
    }

    @Test
    void euclideanNormScalesAllGradientsTogether() {
        Tensor a = withGrad(3, 4);
        Tensor b = withGrad(12);
        Tensor none = Tensor.zeros(BE, 2).requiresGrad(true);
        double total = Clip.clipGradNorm(List.of(a, b, none), 6.5, 2);
        assertThat(total).isCloseTo(13, within(1e-6)); // sqrt(3^2 + 4^2 + 12^2)
        float coef = 6.5f / (13f + 1e-6f);
        assertThat(a.grad().toFloatArray()).containsExactly(3 * coef, 4 * coef);
        assertThat(b.grad().toFloatArray()).containsExactly(12 * coef);
        assertThat(none.grad()).isNull();
    }

    @Test
    void infinityNormUsesTheLargestMagnitude() {
        Tensor a = withGrad(3, -8);
        Tensor b = withGrad(2);
        double total = Clip.clipGradNorm(List.of(a, b), 2, Double.POSITIVE_INFINITY);
        assertThat(total).isEqualTo(8);
        float coef = 2f / (8f + 1e-6f);
        assertThat(a.grad().toFloatArray()).containsExactly(3 * coef, -8 * coef);
        assertThat(b.grad().toFloatArray()).containsExactly(2 * coef);
    }

    @Test
    void smallNormsAreLeftAlone() {
        Tensor a = withGrad(0.3f, -0.4f);
        assertThat(Clip.clipGradNorm(List.of(a), 1, 2)).isCloseTo(0.5, within(1e-7));
        assertThat(a.grad().toFloatArray()).containsExactly(0.3f, -0.4f);
        assertThat(Clip.clipGradNorm(List.of(Tensor.zeros(BE, 2).requiresGrad(true)), 1, 2)).isZero();
    }

    @Test
    void otherNormOrders() {
        Tensor a = withGrad(1, -2);
        Tensor b = withGrad(3);
        assertThat(Clip.clipGradNorm(List.of(a, b), 100, 1)).isCloseTo(6, within(1e-6));
        assertThat(Clip.clipGradNorm(List.of(a, b), 100, 3)).isCloseTo(Math.cbrt(36), within(1e-5));
    }

    @Test
    void nanNormSpreadsAsInPyTorch() {
        Tensor a = withGrad(Float.NaN, 1);
        assertThat(Clip.clipGradNorm(List.of(a), 1, 2)).isNaN();
        assertThat(a.grad().toFloatArray()).containsOnly(Float.NaN);
    }

    @Test
    void clipGradValueClampsEachElement() {
        Tensor a = withGrad(-3, -0.5f, 0, 0.5f, 3);
        Tensor none = Tensor.zeros(BE, 1).requiresGrad(true);
        Clip.clipGradValue(List.of(a, none), 1);
        assertThat(a.grad().toFloatArray()).containsExactly(-1, -0.5f, 0, 0.5f, 1);
        assertThatThrownBy(() -> Clip.clipGradValue(List.of(a), -1)).hasMessageContaining("value");
        assertThatThrownBy(() -> Clip.clipGradNorm(List.of(a), 1, 0)).hasMessageContaining("norm type");
    }
}
