package dev.sequor.core;

import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.UnaryOp;

import java.util.Arrays;

/** Elementwise ops with their gradients: unary functions, broadcasting binary ops, select. */
final class Elementwise {

    private Elementwise() {
    }

    static Backend sameBackend(String op, Tensor a, Tensor b) {
        if (a.backend() != b.backend()) {
            throw new IllegalArgumentException(op + ": tensors live on different backends (" + a.backend().name()
                    + " and " + b.backend().name() + "); move one with tensor.to(other.backend())");
        }
        return a.backend();
    }

    static void requireSameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.dims(), b.dims())) {
            throw new IllegalArgumentException(op + ": shapes " + Shapes.str(a.dims()) + " and " + Shapes.str(b.dims())
                    + " differ");
        }
        sameBackend(op, a, b);
    }

    static Tensor unary(UnaryOp op, Tensor x) {
        Tensor y = Tensor.empty(x.backend(), x.dims());
        x.backend().unary(op, x.buffer(op.name().toLowerCase()), 0, y.buf(), 0, x.numel());
        return Autograd.record(y, op.name().toLowerCase(), g -> new Tensor[] {unaryGrad(op, x, y, g)}, x);
    }

    private static Tensor unaryGrad(UnaryOp op, Tensor x, Tensor y, Tensor g) {
        return switch (op) {
            case NEG -> g.neg();
            case ABS -> g.mul(x.sign());
            case SIGN -> null;
            case EXP -> g.mul(y);
            case LOG -> g.div(x);
            case SQRT -> g.div(y).mul(0.5f);
            case RSQRT -> g.mul(y.square().mul(y)).mul(-0.5f);
            case RECIPROCAL -> g.mul(y.square()).neg();
            case SQUARE -> g.mul(x).mul(2f);
            case TANH -> g.mul(y.square().affine(-1f, 1f));
            case SIGMOID -> g.mul(y.mul(y.affine(-1f, 1f)));
            case RELU -> g.mul(compare(BinaryOp.GT, x, Tensor.scalar(x.backend(), 0f)));
            case GELU -> g.mul(unary(UnaryOp.GELU_GRAD, x));
            case GELU_GRAD -> throw new UnsupportedOperationException("second derivative of GELU is not implemented");
            case ERF -> g.mul(x.square().neg().exp().mul((float) (2 / Math.sqrt(Math.PI))));
            case SIN -> g.mul(x.cos());
            case COS -> g.mul(x.sin()).neg();
        };
    }

    /** The forward of a broadcasting binary op without recording. */
    static Tensor binaryRaw(BinaryOp op, Tensor a, Tensor b) {
        String name = op.name().toLowerCase();
        Backend be = sameBackend(name, a, b);
        int[] shape = Shapes.broadcast(a.dims(), b.dims(), name);
        Tensor out = Tensor.empty(be, shape);
        be.binary(op, a.buffer(name), Shapes.broadcastStrides(a.dims(), shape),
                b.buffer(name), Shapes.broadcastStrides(b.dims(), shape), out.buf(), shape);
        return out;
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Tensor y = binaryRaw(op, a, b);
        return Autograd.record(y, op.name().toLowerCase(), g -> binaryGrad(op, a, b, y, g), a, b);
    }

    private static Tensor[] binaryGrad(BinaryOp op, Tensor a, Tensor b, Tensor y, Tensor g) {
        Tensor ga;
        Tensor gb;
        switch (op) {
            case ADD -> { ga = g; gb = g; }
            case SUB -> { ga = g; gb = g.neg(); }
            case MUL -> { ga = a.requiresGrad ? g.mul(b) : null; gb = b.requiresGrad ? g.mul(a) : null; }
            case DIV -> { ga = a.requiresGrad ? g.div(b) : null; gb = b.requiresGrad ? g.mul(a).div(b.square()).neg() : null; }
            case POW -> {
                // PyTorch's convention where the formulas give 0 * inf: d/da a^0 = 0, and d/db 0^b = 0 for b >= 0
                Tensor zero = Tensor.scalar(a.backend(), 0f);
                ga = a.requiresGrad ? where(compare(BinaryOp.EQ, b, zero), zero, g.mul(b).mul(a.pow(b.sub(1f)))) : null;
                gb = b.requiresGrad ? where(compare(BinaryOp.EQ, a, zero).mul(compare(BinaryOp.GE, b, zero)), zero,
                        g.mul(y).mul(a.log())) : null;
            }
            case MAX, MIN -> {
                BinaryOp wins = op == BinaryOp.MAX ? BinaryOp.GT : BinaryOp.LT;
                Tensor tie = compare(BinaryOp.EQ, a, b).mul(0.5f);
                ga = g.mul(compare(wins, a, b).add(tie));
                gb = g.mul(compare(wins, b, a).add(tie));
            }
            default -> { ga = null; gb = null; }
        }
        return new Tensor[] {
            a.requiresGrad && ga != null ? sumToShape(ga, a.dims()) : null,
            b.requiresGrad && gb != null ? sumToShape(gb, b.dims()) : null};
    }

    /** Sums a broadcast gradient back to the shape of the operand it came from. */
    static Tensor sumToShape(Tensor g, int[] shape) {
        int[] gs = g.dims();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int lead = gs.length - shape.length;
        int[] axes = new int[gs.length];
        int count = 0;
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) {
                axes[count++] = i;
            }
        }
        Tensor summed = Reductions.sumAxes(g, Arrays.copyOf(axes, count), true);
        return summed.reshape(shape);
    }

    static Tensor affine(Tensor x, float alpha, float beta) {
        Tensor y = Tensor.empty(x.backend(), x.dims());
        x.backend().affine(x.buffer("affine"), alpha, beta, y.buf(), x.numel());
        return Autograd.record(y, "affine", g -> new Tensor[] {g.mul(alpha)}, x);
    }

    static Tensor powScalar(Tensor x, float p) {
        Tensor y = Tensor.empty(x.backend(), x.dims());
        x.backend().scalar(BinaryOp.POW, x.buffer("pow"), p, y.buf(), x.numel());
        // d/dx x^0 = 0 everywhere (PyTorch's convention), not 0 * x^-1, which is NaN at x = 0
        return Autograd.record(y, "pow", g -> new Tensor[] {p == 0f ? x.zerosLike() : g.mul(x.pow(p - 1f)).mul(p)}, x);
    }

    static Tensor clamp(Tensor x, float min, float max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " > max " + max);
        }
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, x.dims());
        be.scalar(BinaryOp.MAX, x.buffer("clamp"), min, y.buf(), x.numel());
        be.scalar(BinaryOp.MIN, y.buf(), max, y.buf(), x.numel());
        return Autograd.record(y, "clamp", g -> {
            Tensor inside = Tensor.empty(be, x.dims());
            Tensor hi = Tensor.empty(be, x.dims());
            be.scalar(BinaryOp.GE, x.buf(), min, inside.buf(), x.numel());
            be.scalar(BinaryOp.LE, x.buf(), max, hi.buf(), x.numel());
            return new Tensor[] {g.mul(inside).mul(hi)};
        }, x);
    }

    static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        return binaryRaw(op, a, b);
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Backend be = sameBackend("where", cond, a);
        sameBackend("where", a, b);
        int[] shape = Shapes.broadcast(Shapes.broadcast(cond.dims(), a.dims(), "where"), b.dims(), "where");
        Tensor out = Tensor.empty(be, shape);
        be.where(cond.buffer("where"), Shapes.broadcastStrides(cond.dims(), shape),
                a.buffer("where"), Shapes.broadcastStrides(a.dims(), shape),
                b.buffer("where"), Shapes.broadcastStrides(b.dims(), shape), out.buf(), shape);
        return Autograd.record(out, "where", g -> {
            Tensor zero = Tensor.scalar(be, 0f);
            return new Tensor[] {null,
                a.requiresGrad ? sumToShape(where(cond, g, zero), a.dims()) : null,
                b.requiresGrad ? sumToShape(where(cond, zero, g), b.dims()) : null};
        }, cond, a, b);
    }

    static Tensor maskedFill(Tensor x, Tensor mask, float value) {
        int[] shape = Shapes.broadcast(x.dims(), mask.dims(), "maskedFill");
        if (!Arrays.equals(shape, x.dims())) {
            throw new IllegalArgumentException("maskedFill: mask " + Shapes.str(mask.dims())
                    + " does not broadcast to the tensor's shape " + Shapes.str(x.dims()));
        }
        return where(mask, Tensor.scalar(x.backend(), value), x);
    }

    /** {@code acc += g} in place (same shape), used for gradient accumulation. */
    static void addInto(Tensor acc, Tensor g) {
        requireSameShape("accumulate gradient", acc, g);
        int[] s = acc.dims();
        long[] dense = Shapes.strides(s);
        acc.backend().binary(BinaryOp.ADD, acc.buf(), dense, g.buf(), dense, acc.buf(), s);
    }

    /** {@code acc += alpha * x} in place, x broadcast to acc's shape. */
    static void axpyInto(Tensor acc, Tensor x, float alpha) {
        Backend be = sameBackend("addInPlace", acc, x);
        int[] s = acc.dims();
        int[] b = Shapes.broadcast(s, x.dims(), "addInPlace");
        if (!Arrays.equals(b, s)) {
            throw new IllegalArgumentException("addInPlace: " + Shapes.str(x.dims()) + " does not broadcast to "
                    + Shapes.str(s));
        }
        Tensor scaled = x;
        boolean temp = false;
        if (alpha != 1f) {
            scaled = Tensor.empty(be, x.dims());
            be.affine(x.buffer("addInPlace"), alpha, 0f, scaled.buf(), x.numel());
            temp = true;
        }
        be.binary(BinaryOp.ADD, acc.buffer("addInPlace"), Shapes.strides(s), scaled.buffer("addInPlace"),
                Shapes.broadcastStrides(x.dims(), s), acc.buf(), s);
        if (temp) {
            scaled.close();
        }
    }
}
