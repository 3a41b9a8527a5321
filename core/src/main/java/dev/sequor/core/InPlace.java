package dev.sequor.core;

import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.UnaryOp;

import java.util.Arrays;

/**
 * Elementwise writes into an existing tensor, PyTorch's {@code out=} forms under {@code no_grad}:
 * optimizer steps and in-place clipping use these so that an update allocates at most a scratch
 * tensor or two, however many operations it has. Nothing here is recorded by autograd. Every operand
 * must have {@code out}'s shape and backend (no broadcasting), and {@code out} may be one of the
 * inputs.
 */
public final class InPlace {

    private InPlace() {
    }

    /** {@code out[i] = x[i] op s}, for every element. */
    public static void scalar(BinaryOp op, Tensor x, float s, Tensor out) {
        check("scalar " + op, x, out);
        out.backend().scalar(op, x.buffer("InPlace.scalar"), s, out.buffer("InPlace.scalar"), out.numel());
    }

    /** {@code out[i] = a[i] op b[i]}, for every element. */
    public static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        check("binary " + op, a, out);
        check("binary " + op, b, out);
        int[] shape = out.dims();
        long[] dense = Shapes.strides(shape);
        out.backend().binary(op, a.buffer("InPlace.binary"), dense, b.buffer("InPlace.binary"), dense,
                out.buffer("InPlace.binary"), shape);
    }

    /** {@code out[i] = op(x[i])}, for every element. */
    public static void unary(UnaryOp op, Tensor x, Tensor out) {
        check("unary " + op, x, out);
        out.backend().unary(op, x.buffer("InPlace.unary"), 0, out.buffer("InPlace.unary"), 0, out.numel());
    }

    /**
     * Sets the elements {@code [offset, offset + count)} of {@code t}, in row-major order, to
     * {@code value} (for example one row of an embedding table).
     */
    public static void fill(Tensor t, long offset, long count, float value) {
        if (offset < 0 || count < 0 || offset + count > t.numel()) {
            throw new IllegalArgumentException("InPlace.fill: elements [" + offset + ", " + (offset + count)
                    + ") are outside a tensor " + Shapes.str(t.dims()) + " of " + t.numel() + " elements");
        }
        t.backend().fill(t.buffer("InPlace.fill"), offset, count, value);
    }

    private static void check(String op, Tensor x, Tensor out) {
        if (!Arrays.equals(x.dims(), out.dims()) || x.backend() != out.backend()) {
            throw new IllegalArgumentException("InPlace." + op + ": operand " + Shapes.str(x.dims()) + " on "
                    + x.backend().name() + " does not match out " + Shapes.str(out.dims()) + " on "
                    + out.backend().name());
        }
    }
}
