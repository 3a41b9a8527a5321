package dev.sequor.reference;

/**
 * The error function in double precision, accurate to about 1e-15 relative for erf and 1e-13 for
 * erfc far in the tail: far more than float32 needs.
 *
 * <p>For {@code |x| < 2}, the everywhere-positive series
 * {@code erf(x) = 2/sqrt(pi) e^(-x^2) sum_{n>=0} 2^n x^(2n+1) / (1*3*...*(2n+1))}
 * (Abramowitz and Stegun 7.1.6): no alternating terms, so no cancellation. For {@code x >= 2},
 * Laplace's continued fraction
 * {@code erfc(x) = e^(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))}
 * (A&amp;S 7.1.14), evaluated by the modified Lentz method, which converges in under 100 terms there.
 */
final class Erf {

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final double ONE_OVER_SQRT_PI = 1.0 / Math.sqrt(Math.PI);
    private static final double SERIES_LIMIT = 2.0;

    private Erf() {
    }

    /** @return erf(x); NaN for NaN, +-1 at +-Inf */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax < SERIES_LIMIT) {
            return series(x);
        }
        return Math.copySign(1.0 - continuedFraction(ax), x);
    }

    /** @return erfc(x) = 1 - erf(x), without cancellation for large positive x */
    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < SERIES_LIMIT) {
            return 1.0 - erf(x);
        }
        return continuedFraction(x);
    }

    private static double series(double x) {
        double x2 = 2.0 * x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= x2 / (2 * n + 1);
            sum += term;
            if (Math.abs(term) <= 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
    }

    /** erfc(x) for x >= 2. */
    private static double continuedFraction(double x) {
        if (x == Double.POSITIVE_INFINITY) {
            return 0.0;
        }
        final double tiny = 1e-300;
        double f = x;
        double c = f;
        double d = 0.0;
        for (int n = 1; n < 5000; n++) {
            double a = n * 0.5;
            d = x + a * d;
            d = d == 0.0 ? 1.0 / tiny : 1.0 / d;
            c = x + a / c;
            if (c == 0.0) {
                c = tiny;
            }
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) * ONE_OVER_SQRT_PI / f;
    }
}
