package dev.sequor.core;

import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.UnaryOp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InPlaceTest {

    private final Backend be = Backends.get("reference");

    @Test
    void writesIntoOutAndOutMayBeAnInput() {
        Tensor a = Tensor.of(be, new float[] {1, -2, 3, -4}, 2, 2);
        Tensor b = Tensor.of(be, new float[] {10, 20, 30, 40}, 2, 2);
        Tensor out = Tensor.zeros(be, 2, 2);
        InPlace.binary(BinaryOp.MUL, a, b, out);
        assertThat(out.toFloatArray()).containsExactly(10, -40, 90, -160);
        InPlace.scalar(BinaryOp.MAX, out, 0f, out);
        assertThat(out.toFloatArray()).containsExactly(10, 0, 90, 0);
        InPlace.unary(UnaryOp.NEG, a, a);
        assertThat(a.toFloatArray()).containsExactly(-1, 2, -3, 4);
    }

    @Test
    void isNotRecordedByAutograd() {
        Tensor p = Tensor.of(be, new float[] {1, 2}, 2).requiresGrad(true);
        InPlace.scalar(BinaryOp.MUL, p, 3f, p);
        assertThat(p.isLeaf()).isTrue();
        assertThat(p.toFloatArray()).containsExactly(3, 6);
    }

    @Test
    void fillSetsOneRangeOnly() {
        Tensor t = Tensor.ones(be, 3, 2);
        InPlace.fill(t, 2, 2, 0f);
        assertThat(t.toFloatArray()).containsExactly(1, 1, 0, 0, 1, 1);
        assertThatThrownBy(() -> InPlace.fill(t, 5, 2, 0f))
                .hasMessageContaining("[5, 7)").hasMessageContaining("[3, 2]");
    }

    @Test
    void mismatchedOperandNamesBothShapes() {
        Tensor a = Tensor.zeros(be, 2, 3);
        Tensor out = Tensor.zeros(be, 3, 2);
        assertThatThrownBy(() -> InPlace.unary(UnaryOp.NEG, a, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unary NEG").hasMessageContaining("[2, 3]").hasMessageContaining("[3, 2]");
    }
}
