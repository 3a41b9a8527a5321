package dev.sequor.core;

import dev.sequor.spi.Backend;
import dev.sequor.spi.ReduceOp;

import java.util.Arrays;

/** Reductions along axes, softmax and log-softmax, with their gradients. */
final class Reductions {

    private Reductions() {
    }

    static int[] reducedShape(int[] shape, int axis, boolean keepDims) {
        if (keepDims) {
            int[] s = shape.clone();
            s[axis] = 1;
            return s;
        }
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                s[j++] = shape[i];
            }
        }
        return s;
    }

    static Tensor reduce(ReduceOp op, Tensor x, int axisIn, boolean keepDims) {
        String name = op.name().toLowerCase();
        int[] shape = x.dims();
        int axis = Shapes.axis(axisIn, shape.length, name);
        int outer = Shapes.outer(shape, axis);
        int n = shape[axis];
        int inner = Shapes.inner(shape, axis);
        Backend be = x.backend();
        Tensor out = Tensor.empty(be, reducedShape(shape, axis, keepDims));
        be.reduce(op, x.buffer(name), outer, n, inner, out.buf());
        if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
            return out;
        }
        int[] kept = reducedShape(shape, axis, true);
        return Autograd.record(out, name, g -> {
            Tensor gk = g.reshape(kept);
            Tensor gx = switch (op) {
                case SUM -> gk.expand(shape);
                case MEAN -> gk.mul(1f / n).expand(shape);
                case LOGSUMEXP -> {
                    // d lse / dx = softmax(x), taken from x itself: exp(x - lse) with lse rounded to float
                    // is off by ulp(lse), a relative 5e-4 at |x| ~ 1e4
                    Tensor p = Tensor.empty(be, shape);
                    be.softmax(x.buf(), outer, n, inner, false, p.buf());
                    yield gk.mul(p);
                }
                case MAX, MIN -> {
                    Tensor idx = reduceRaw(op == ReduceOp.MAX ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, x, axis, kept);
                    yield gk.mul(positions(be, shape.length, axis, n).eq(idx));
                }
                default -> throw new IllegalStateException(name);
            };
            return new Tensor[] {gx};
        }, x);
    }

    private static Tensor reduceRaw(ReduceOp op, Tensor x, int axis, int[] kept) {
        int[] shape = x.dims();
        Tensor out = Tensor.empty(x.backend(), kept);
        x.backend().reduce(op, x.buf(), Shapes.outer(shape, axis), shape[axis], Shapes.inner(shape, axis), out.buf());
        return out;
    }

    /** {@code [0..n)} laid along {@code axis} of a rank-{@code rank} tensor of ones elsewhere. */
    private static Tensor positions(Backend be, int rank, int axis, int n) {
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        s[axis] = n;
        return Tensor.arange(be, n).reshape(s);
    }

    static Tensor sumAll(Tensor x) {
        return reduce(ReduceOp.SUM, x.reshape(Shapes.toInt(x.numel(), "sum")), 0, false);
    }

    static Tensor meanAll(Tensor x) {
        return reduce(ReduceOp.MEAN, x.reshape(Shapes.toInt(x.numel(), "mean")), 0, false);
    }

    static Tensor sumAxes(Tensor x, int[] axesIn, boolean keepDims) {
        int rank = x.rank();
        boolean[] chosen = new boolean[rank];
        for (int a : axesIn) {
            chosen[Shapes.axis(a, rank, "sum")] = true;
        }
        Tensor t = x;
        for (int a = rank - 1; a >= 0; a--) {
            if (chosen[a]) {
                t = reduce(ReduceOp.SUM, t, a, true);
            }
        }
        if (keepDims) {
            return t;
        }
        int[] s = new int[rank];
        int k = 0;
        for (int a = 0; a < rank; a++) {
            if (!chosen[a]) {
                s[k++] = x.dims()[a];
            }
        }
        return t.reshape(Arrays.copyOf(s, k));
    }

    static Tensor softmax(Tensor x, int axisIn, boolean log) {
        String name = log ? "logSoftmax" : "softmax";
        int[] shape = x.dims();
        int axis = Shapes.axis(axisIn, shape.length, name);
        int outer = Shapes.outer(shape, axis);
        int n = shape[axis];
        int inner = Shapes.inner(shape, axis);
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, shape);
        be.softmax(x.buffer(name), outer, n, inner, log, y.buf());
        return Autograd.record(y, name, g -> {
            Tensor gx = Tensor.empty(be, shape);
            be.softmaxBackward(y.buf(), g.buffer(name + " backward"), outer, n, inner, log, gx.buf());
            return new Tensor[] {gx};
        }, x);
    }

    static Tensor var(Tensor x, int axis, boolean unbiased, boolean keepDims) {
        int n = x.size(axis);
        Tensor centered = x.sub(x.mean(axis, true));
        return centered.square().sum(axis, keepDims).mul(1f / (unbiased ? n - 1 : n));
    }
}
