package dev.sequor.core;

import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Finite-difference checks of matmul in all its batch forms and of matmulTransposed. */
class LinalgGradTest {

    private static final Backend BE = Backends.get("reference");
    private final GradCheck check = GradCheck.on(BE);

    private static Tensor u(long seed, int... shape) {
        return Inputs.uniform(BE, -1, 1, seed, shape);
    }

    @Test
    void matmul2d() {
        check.check("(2,3)@(3,4)", Tensor::matmul, u(1, 2, 3), u(2, 3, 4));
        check.check("(1,3)@(3,1)", Tensor::matmul, u(1, 1, 3), u(2, 3, 1));
    }

    @Test
    void matmulBatched() {
        check.check("(2,2,3)@(2,3,4)", Tensor::matmul, u(3, 2, 2, 3), u(4, 2, 3, 4));
        check.check("(2,2,2,3)@(2,2,3,2)", Tensor::matmul, u(3, 2, 2, 2, 3), u(4, 2, 2, 3, 2));
    }

    @Test
    void matmulBroadcastBatch() {
        check.check("(2,1,2,3)@(3,3,4)", Tensor::matmul, u(5, 2, 1, 2, 3), u(6, 3, 3, 4));
        check.check("(1,2,3)@(2,3,2)", Tensor::matmul, u(5, 1, 2, 3), u(6, 2, 3, 2));
        check.check("(2,2,3)@(1,3,2)", Tensor::matmul, u(5, 2, 2, 3), u(6, 1, 3, 2));
        check.check("(2,3)@(2,3,4): rank-2 left shared", Tensor::matmul, u(7, 2, 3), u(8, 2, 3, 4));
    }

    @Test
    void matmulRank2SharedRightOperand() {
        check.check("(2,4,3)@(3,5)", Tensor::matmul, u(9, 2, 4, 3), u(10, 3, 5));
        check.check("(2,2,2,3)@(3,2)", Tensor::matmul, u(9, 2, 2, 2, 3), u(10, 3, 2));
    }

    @Test
    void matmulInsideAGraph() {
        // the same weight twice (accumulation through two GEMM backwards) and a nonlinearity between
        check.check("tanh(x w) w^T", (x, w) -> x.matmul(w).tanh().matmul(w.transpose(0, 1)), u(11, 3, 4), u(12, 4, 4));
    }

    @Test
    void matmulTransposed() {
        check.check("(4,3)@(5,3)^T", Tensor::matmulTransposed, u(13, 4, 3), u(14, 5, 3));
        check.check("(2,4,3)@(5,3)^T", Tensor::matmulTransposed, u(13, 2, 4, 3), u(14, 5, 3));
        check.check("(3)@(2,3)^T", Tensor::matmulTransposed, u(13, 3), u(14, 2, 3));
    }

    @Test
    void matmulTransposedEqualsMatmulWithTranspose() {
        Tensor x = u(15, 2, 4, 3);
        Tensor w = u(16, 5, 3);
        float[] a = x.matmulTransposed(w).toFloatArray();
        float[] b = x.matmul(w.transpose(0, 1)).toFloatArray();
        assertThat(a).containsExactly(b, within(1e-6f));
    }

    @Test
    void matmulValuesByHand() {
        Tensor a = Tensor.of(BE, new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(BE, new float[] {5, 6, 7, 8}, 2, 2);
        assertThat(a.matmul(b).toFloatArray()).containsExactly(19, 22, 43, 50);
        assertThat(a.matmulTransposed(b).toFloatArray()).containsExactly(17, 23, 39, 53);
    }
}
