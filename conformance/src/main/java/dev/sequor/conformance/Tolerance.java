package dev.sequor.conformance;

/**
 * How far a float32 result may be from the double-precision oracle: element {@code a} passes against
 * the expected {@code e} when {@code |a - e| <= atol + rtol * |e|}, or when {@code a} is exactly
 * {@code e} rounded to float (so a correctly rounded result always passes, even where {@code e}
 * underflows or overflows float). NaN expects NaN and an infinity expects the same infinity, always.
 *
 * @param atol absolute tolerance, {@code >= 0}
 * @param rtol relative tolerance, {@code >= 0}
 */
public record Tolerance(double atol, double rtol) {

    /** Only the correctly rounded value (or an equal one: -0 equals +0) passes. */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    public Tolerance {
        if (!(atol >= 0) || !(rtol >= 0)) {
            throw new IllegalArgumentException("tolerances must be >= 0, got atol " + atol + ", rtol " + rtol);
        }
    }

    /** @return a tolerance with the given absolute and relative parts */
    public static Tolerance of(double atol, double rtol) {
        return new Tolerance(atol, rtol);
    }

    /** @return whether {@code actual} is acceptable for the exact value {@code expected} */
    public boolean accepts(float actual, double expected) {
        float rounded = (float) expected;
        if (Double.isNaN(expected) || Float.isNaN(actual)) {
            return Double.isNaN(expected) && Float.isNaN(actual);
        }
        if (actual == rounded) {
            return true;
        }
        if (Double.isInfinite(expected) || Float.isInfinite(actual)) {
            return false;
        }
        return Math.abs(actual - expected) <= allowed(expected);
    }

    /** @return the largest accepted {@code |actual - expected|} for a finite {@code expected} */
    public double allowed(double expected) {
        return atol + rtol * Math.abs(expected);
    }

    @Override
    public String toString() {
        return "atol=" + atol + ", rtol=" + rtol;
    }
}
