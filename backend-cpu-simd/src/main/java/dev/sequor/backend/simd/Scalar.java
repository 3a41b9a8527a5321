package dev.sequor.backend.simd;

import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.UnaryOp;

/**
 * The scalar twin of every elementwise kernel: vector loops use it for their tails and for
 * strided or unusual layouts, and tests use it as the definition. Exp, log, tanh and sigmoid are
 * {@link VMath}'s scalar twins, bit for bit equal to the vector lanes; sin and cos are
 * {@code StrictMath}'s (fdlibm), whose results the JDK fixes, and run scalar only.
 */
final class Scalar {

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final double INV_SQRT_PI = 1.0 / Math.sqrt(Math.PI);
    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private Scalar() {
    }

    static float unary(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case EXP -> VMath.exp(x);
            case LOG -> VMath.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case RSQRT -> 1f / (float) Math.sqrt(x);
            case RECIPROCAL -> 1f / x;
            case SQUARE -> x * x;
            case TANH -> VMath.tanh(x);
            case SIGMOID -> VMath.sigmoid(x);
            case RELU -> x > 0 ? x : x == x ? 0f : x;
            case GELU -> (float) (x * phiCdf(x));
            case GELU_GRAD -> (float) (phiCdf(x) + x * StrictMath.exp(-0.5 * (double) x * x) * INV_SQRT_2PI);
            case ERF -> (float) erf(x);
            case SIN -> (float) StrictMath.sin(x);
            case COS -> (float) StrictMath.cos(x);
        };
    }

    static float binary(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) StrictMath.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
        };
    }

    /** The standard normal CDF {@code Phi(x) = erfc(-x / sqrt 2) / 2}, accurate in the far tails. */
    static double phiCdf(double x) {
        return 0.5 * erfc(-x * INV_SQRT2);
    }

    /** erf in double, to about 1e-13 relative: enough to round correctly to float almost always. */
    static double erf(double x) {
        if (x != x) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax < 2.0) {
            return erfSeries(x);
        }
        double r = 1.0 - erfcLarge(ax);
        return x < 0 ? -r : r;
    }

    /** erfc in double with relative accuracy also where it is tiny (large positive z). */
    static double erfc(double z) {
        if (z != z) {
            return z;
        }
        if (z >= 2.0) {
            return erfcLarge(z);
        }
        if (z <= -2.0) {
            return 2.0 - erfcLarge(-z);
        }
        return 1.0 - erfSeries(z);
    }

    /** Maclaurin series; below |x| = 2 the alternating terms lose under three digits of a double. */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 80; n++) {
            term *= -x2 / n;
            double t = term / (2 * n + 1);
            sum += t;
            if (Math.abs(t) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return sum * TWO_OVER_SQRT_PI;
    }

    /** Continued fraction for erfc(z), z >= 2, evaluated bottom-up: 50 levels give ~3e-14. */
    private static double erfcLarge(double z) {
        if (z > 27.0) {
            return 0.0;
        }
        double k = 0.0;
        for (int n = 50; n >= 1; n--) {
            k = (n * 0.5) / (z + k);
        }
        return StrictMath.exp(-z * z) * INV_SQRT_PI / (z + k);
    }
}
