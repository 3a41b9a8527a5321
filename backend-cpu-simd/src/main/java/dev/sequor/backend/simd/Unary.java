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
        int i = 0;
        if (vectorised(op)) {
            int bound = S.loopBound(n);
            for (; i < bound; i += L) {
                apply(op, FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
            }
        }
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

    private static boolean vectorised(UnaryOp op) {
        return switch (op) {
            case GELU, GELU_GRAD, ERF, SIN, COS -> false;
            default -> true;
        };
    }

    private static FloatVector apply(UnaryOp op, FloatVector v) {
        return switch (op) {
            case NEG -> v.neg();
            case ABS -> v.abs();
            case SIGN -> sign(v);
            case EXP -> VMath.exp(v);
            case LOG -> VMath.log(v);
            case SQRT -> v.sqrt();
            case RSQRT -> FloatVector.broadcast(S, 1f).div(v.sqrt());
            case RECIPROCAL -> FloatVector.broadcast(S, 1f).div(v);
            case SQUARE -> v.mul(v);
            case TANH -> VMath.tanh(v);
            case SIGMOID -> VMath.sigmoid(v);
            case RELU -> relu(v);
            case GELU, GELU_GRAD, ERF, SIN, COS -> throw new AssertionError(op);
        };
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
