package dev.sequor.nn;

import dev.sequor.core.Grad;
import dev.sequor.core.CustomOp;
import dev.sequor.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checker must catch a wrong gradient, or every test built on it proves nothing. */
class GradCheckTest {

    @Test
    void catchesAGradientOffByTenPercent() {
        Tensor x = Fixtures.param(3, -1, 1, 4);
        GradCheck.create().check("square", t -> t[0].square(), x);
        assertThatThrownBy(() -> GradCheck.create().check("wrong square", t -> {
            Tensor y;
            try (Grad g = Grad.disabled()) {
                y = t[0].square();
            }
            return CustomOp.record("wrongSquare", y, g -> new Tensor[] {g.mul(t[0]).mul(2.2f)}, t[0]);
        }, x)).isInstanceOf(AssertionError.class).hasMessageContaining("analytic");
    }
}
