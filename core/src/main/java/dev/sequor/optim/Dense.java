package dev.sequor.optim;

import dev.sequor.core.Tensor;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.UnaryOp;

import java.util.Arrays;

/**
 * Elementwise updates of whole dense tensors through the backend's primitives, writing into an existing
 * tensor ({@code out} may be an input: the SPI allows it for dense operands). Optimizer steps use these
 * so that an update allocates at most a scratch tensor or two, however many operations it has. Not
 * recorded by autograd; every operand must have {@code out}'s shape and backend.
 */
final class Dense {

    private Dense() {
    }

    /** {@code out[i] = x[i] op s}. */
    static void scalar(BinaryOp op, Tensor x, float s, Tensor out) {
        check("scalar " + op, x, out);
        x.backend().scalar(op, x.buffer("optimizer"), s, out.buffer("optimizer"), out.numel());
    }

    /** {@code out[i] = a[i] op b[i]}. */
    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        check("binary " + op, a, out);
        check("binary " + op, b, out);
        int[] shape = out.shape();
        long[] dense = strides(shape);
        out.backend().binary(op, a.buffer("optimizer"), dense, b.buffer("optimizer"), dense, out.buffer("optimizer"), shape);
    }

    /** {@code out[i] = op(x[i])}. */
    static void unary(UnaryOp op, Tensor x, Tensor out) {
        check("unary " + op, x, out);
        x.backend().unary(op, x.buffer("optimizer"), 0, out.buffer("optimizer"), 0, out.numel());
    }

    private static void check(String op, Tensor x, Tensor out) {
        if (!Arrays.equals(x.shape(), out.shape()) || x.backend() != out.backend()) {
            throw new IllegalArgumentException("optimizer " + op + ": operand " + Arrays.toString(x.shape()) + " on "
                    + x.backend().name() + " does not match " + Arrays.toString(out.shape()) + " on " + out.backend().name());
        }
    }

    private static long[] strides(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }
}
