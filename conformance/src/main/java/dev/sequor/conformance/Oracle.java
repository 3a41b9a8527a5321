package dev.sequor.conformance;

import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.UnaryOp;

import java.util.function.DoubleUnaryOperator;

/**
 * The kit's double-precision definitions of the elementwise ops, written apart from every backend
 * (including {@code reference}) so that a shared mistake cannot pass unseen. Values are exact to
 * about 1e-10 relative or better, far below float32 rounding.
 *
 * <p>The error function is computed by Simpson's rule on its defining integrals:
 * {@code erf(x) = 2/sqrt(pi) int_0^x e^(-t^2) dt} for {@code |x| <= 1/2}, and otherwise
 * {@code erfc(x) = 2/sqrt(pi) e^(-x^2) int_0^S e^(-2xs - s^2) ds} (substituting {@code t = x + s}),
 * with {@code S} where the integrand has fallen to {@code e^-40}.
 */
public final class Oracle {

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private Oracle() {
    }

    /** @return {@code op(x)} in double, per the {@link UnaryOp} Javadoc */
    public static double unary(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Double.isNaN(x) ? x : (x > 0 ? 1 : (x < 0 ? -1 : 0));
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case RECIPROCAL -> 1.0 / x;
            case SQUARE -> x * x;
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> Double.isNaN(x) ? x : Math.max(x, 0.0);
            case GELU -> x * normalCdf(x);
            case GELU_GRAD -> normalCdf(x) + x * normalPdf(x);
            case ERF -> erf(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
        };
    }

    /** @return {@code a op b} in double, per the {@link BinaryOp} Javadoc (comparisons give 1 or 0) */
    public static double binary(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case MIN -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
        };
    }

    /** @return whether {@code op} is exact by contract (no rounding), so compared exactly */
    public static boolean isExact(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SIGN, RELU -> true;
            default -> false;
        };
    }

    /** @return whether {@code op} is exact by contract (comparisons, max, min), so compared exactly */
    public static boolean isExact(BinaryOp op) {
        return switch (op) {
            case MAX, MIN, EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }

    /** The logistic function {@code 1 / (1 + e^-x)}. */
    public static double sigmoid(double x) {
        return x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
    }

    /** The standard normal density {@code phi(x) = e^(-x^2/2) / sqrt(2 pi)}. */
    public static double normalPdf(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    /** The standard normal distribution {@code Phi(x) = erfc(-x / sqrt 2) / 2}, precise in both tails. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2.0));
    }

    /** @return erf(x) */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (Math.abs(x) <= 0.5) {
            return TWO_OVER_SQRT_PI * simpson(t -> Math.exp(-t * t), 0, x, 200);
        }
        return Math.copySign(1.0 - erfc(Math.abs(x)), x);
    }

    /** @return erfc(x) = 1 - erf(x), with full relative precision in the right tail */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 0) {
            return 2.0 - erfc(-x);
        }
        if (x == Double.POSITIVE_INFINITY) {
            return 0.0;
        }
        // S solves s^2 + 2xs = 40, written without cancellation for large x.
        double s = 40.0 / (x + Math.sqrt(x * x + 40.0));
        double integral = simpson(u -> Math.exp(-2 * x * u - u * u), 0, s, 4000);
        return TWO_OVER_SQRT_PI * Math.exp(-x * x) * integral;
    }

    private static double simpson(DoubleUnaryOperator f, double lo, double hi, int intervals) {
        double h = (hi - lo) / intervals;
        double sum = f.applyAsDouble(lo) + f.applyAsDouble(hi);
        for (int i = 1; i < intervals; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(lo + i * h);
        }
        return sum * h / 3;
    }

    /** @return the float values widened to double */
    public static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /**
     * @return the element position {@code offset + sum_d idx[d] * strides[d]} of the multi-index
     *         whose row-major rank in {@code shape} is {@code linear}
     */
    public static long stridedPosition(long linear, int[] shape, long offset, long[] strides) {
        long pos = offset;
        for (int d = shape.length - 1; d >= 0; d--) {
            pos += (linear % shape[d]) * strides[d];
            linear /= shape[d];
        }
        return pos;
    }

    /** @return the number of elements of {@code shape} (1 for rank 0) */
    public static int count(int[] shape) {
        int c = 1;
        for (int s : shape) {
            c *= s;
        }
        return c;
    }

    /** @return dense row-major strides of {@code shape} */
    public static long[] denseStrides(int[] shape) {
        long[] s = new long[shape.length];
        long step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = step;
            step *= shape[d];
        }
        return s;
    }
}
