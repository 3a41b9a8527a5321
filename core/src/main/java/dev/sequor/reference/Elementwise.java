package dev.sequor.reference;

import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.UnaryOp;

/**
 * The scalar meaning of every {@link UnaryOp} and {@link BinaryOp}: each is evaluated in double from
 * the float inputs and rounded once to float, so results are within half an ulp of the exact value
 * for everything whose double evaluation is exact to better than float.
 */
final class Elementwise {

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private Elementwise() {
    }

    /** @return {@code op(x)}, rounded to float */
    static float unary(UnaryOp op, float xf) {
        double x = xf;
        return switch (op) {
            case NEG -> -xf;
            case ABS -> Math.abs(xf);
            case SIGN -> Math.signum(xf);
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case RSQRT -> (float) (1.0 / Math.sqrt(x));
            case RECIPROCAL -> (float) (1.0 / x);
            case SQUARE -> (float) (x * x);
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> (float) sigmoid(x);
            // NaN > 0 is false, so the NaN check must come first.
            case RELU -> Float.isNaN(xf) ? xf : (xf > 0 ? xf : 0.0f);
            case GELU -> (float) (x * phiCdf(x));
            case GELU_GRAD -> (float) (phiCdf(x) + x * Math.exp(-0.5 * x * x) * INV_SQRT_2PI);
            case ERF -> (float) Erf.erf(x);
            case SIN -> (float) Math.sin(x);
            case COS -> (float) Math.cos(x);
        };
    }

    /** {@code 1 / (1 + e^-x)}; for negative x the form {@code e^x / (1 + e^x)} cannot overflow. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /**
     * The standard normal CDF {@code Phi(x) = erfc(-x / sqrt 2) / 2}, written with erfc so the left
     * tail keeps its relative precision (GELU of -10 is about -7.6e-23, not 0).
     */
    static double phiCdf(double x) {
        return 0.5 * Erf.erfc(-x * SQRT_HALF);
    }

    /** @return {@code a op b}, rounded to float; comparisons give 1 or 0 */
    static float binary(BinaryOp op, float af, float bf) {
        double a = af;
        double b = bf;
        return switch (op) {
            case ADD -> (float) (a + b);
            case SUB -> (float) (a - b);
            case MUL -> (float) (a * b);
            case DIV -> (float) (a / b);
            case POW -> (float) Math.pow(a, b);
            // Math.max/min already return NaN when either side is NaN.
            case MAX -> Math.max(af, bf);
            case MIN -> Math.min(af, bf);
            case EQ -> af == bf ? 1f : 0f;
            case NE -> af != bf ? 1f : 0f;
            case LT -> af < bf ? 1f : 0f;
            case LE -> af <= bf ? 1f : 0f;
            case GT -> af > bf ? 1f : 0f;
            case GE -> af >= bf ? 1f : 0f;
        };
    }
}
