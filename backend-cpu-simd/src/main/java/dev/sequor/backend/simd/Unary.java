package dev.sequor.backend.simd;

import dev.sequor.spi.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector kernels for {@link UnaryOp} over contiguous runs. EXP, LOG, TANH and SIGMOID are
 * {@link VMath}'s, not the Vector API's transcendental operators, whose intrinsic and interpreted
 * fallback round differently (so a result changed once the JIT compiled the loop); a lane and the
 * scalar tail give the same bits. The erf family and SIN/COS run through {@link Scalar}.
 */
final class Unary {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private Unary() {
    }

    /** {@code y[yo + i] = op(x[xo + i])} for {@code i < n}; x and y may be the same array. */
    static void run(UnaryOp op, float[] x, int xo, float[] y, int yo, int n) {
        int i = switch (op) {
            case NEG -> neg(x, xo, y, yo, n);
            case ABS -> abs(x, xo, y, yo, n);
            case SIGN -> signRun(x, xo, y, yo, n);
            case EXP -> whole(op, x, xo, y, yo, n);
            case LOG -> log(x, xo, y, yo, n);
            case SQRT -> sqrt(x, xo, y, yo, n);
            case RSQRT -> rsqrt(x, xo, y, yo, n);
            case RECIPROCAL -> reciprocal(x, xo, y, yo, n);
            case SQUARE -> square(x, xo, y, yo, n);
            case TANH -> whole(op, x, xo, y, yo, n);
            case SIGMOID -> whole(op, x, xo, y, yo, n);
            case RELU -> reluRun(x, xo, y, yo, n);
            case GELU, GELU_GRAD, ERF, SIN, COS -> 0;
        };
        for (; i < n; i++) {
            y[yo + i] = Scalar.unary(op, x[xo + i]);
        }
    }

    /**
     * Whether the op costs a transcendental function per element (about 0.5 ns vectorised, 10 to
     * 50 ns for the scalar erf family): such ops repay a thread hand-off on far fewer elements.
     */
    static boolean costly(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, TANH, SIGMOID, GELU, GELU_GRAD, ERF, SIN, COS -> true;
            default -> false;
        };
    }

    /** EXP, TANH, SIGMOID: VMath's whole-run forms (see there why), tail included. */
    private static int whole(UnaryOp op, float[] x, int xo, float[] y, int yo, int n) {
        switch (op) {
            case EXP -> VMath.exp(x, xo, y, yo, n);
            case TANH -> VMath.tanh(x, xo, y, yo, n);
            default -> VMath.sigmoid(x, xo, y, yo, n);
        }
        return n;
    }

    // One loop per op (see Binary for why); each returns the count it covered, a multiple of L.

    private static int neg(float[] x, int xo, float[] y, int yo, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.neg().intoArray(y, yo + i);
        }
        return bound;
    }

    private static int abs(float[] x, int xo, float[] y, int yo, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.abs().intoArray(y, yo + i);
        }
        return bound;
    }

    private static int signRun(float[] x, int xo, float[] y, int yo, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            sign(v).intoArray(y, yo + i);
        }
        return bound;
    }

    private static int log(float[] x, int xo, float[] y, int yo, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            VMath.log(v).intoArray(y, yo + i);
        }
        return bound;
    }

    private static int sqrt(float[] x, int xo, float[] y, int yo, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.sqrt().intoArray(y, yo + i);
        }
        return bound;
    }

    private static int rsqrt(float[] x, int xo, float[] y, int yo, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector.broadcast(S, 1f).div(v.sqrt()).intoArray(y, yo + i);
        }
        return bound;
    }

    private static int reciprocal(float[] x, int xo, float[] y, int yo, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector.broadcast(S, 1f).div(v).intoArray(y, yo + i);
        }
        return bound;
    }

    private static int square(float[] x, int xo, float[] y, int yo, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(v).intoArray(y, yo + i);
        }
        return bound;
    }

    private static int reluRun(float[] x, int xo, float[] y, int yo, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            relu(v).intoArray(y, yo + i);
        }
        return bound;
    }

    private static FloatVector sign(FloatVector v) {
        // Zeros (of either sign) and NaN are their own sign, as Math.signum.
        return v.blend(1f, v.compare(VectorOperators.GT, 0f)).blend(-1f, v.compare(VectorOperators.LT, 0f));
    }

    private static FloatVector relu(FloatVector v) {
        // max(x, 0) written as a blend so NaN passes through unchanged.
        VectorMask<Float> neg = v.compare(VectorOperators.LE, 0f);
        return v.blend(0f, neg);
    }

}
