package dev.sequor.core;

import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link CustomOp#record(String, Tensor, java.util.function.Function, Tensor...)}: the hook fused ops outside this package record their backward with. */
class RecordOpTest {

    private final Backend be = Backends.get("reference");

    private Tensor cube(Tensor x) {
        Tensor y;
        try (Grad g = Grad.disabled()) {
            y = x.square().mul(x);
        }
        return CustomOp.record("cube", y, g -> new Tensor[] {g.mul(x.square()).mul(3f)}, x);
    }

    @Test
    void gradientsFlowThroughACustomOpIntoTheRestOfTheGraph() {
        Tensor x = Tensor.of(be, new float[] {1, -2, 0.5f}, 3).requiresGrad(true);
        cube(x).mul(x).sum().backward(); // d/dx x^4 = 4 x^3
        assertThat(x.grad().toFloatArray()).containsExactly(4f, -32f, 0.5f);
    }

    @Test
    void nothingIsRecordedWithoutGradientsAndARecordedOutputIsRefused() {
        Tensor plain = Tensor.of(be, new float[] {2}, 1);
        assertThat(cube(plain).isLeaf()).isTrue();
        try (Grad g = Grad.disabled()) {
            assertThat(cube(plain.requiresGrad(true)).isLeaf()).isTrue();
        }
        Tensor x = Tensor.of(be, new float[] {2}, 1).requiresGrad(true);
        Tensor recorded = x.mul(2f);
        assertThatThrownBy(() -> CustomOp.record("again", recorded, g -> new Tensor[] {g}, x))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already has a recorded op");
    }
}
