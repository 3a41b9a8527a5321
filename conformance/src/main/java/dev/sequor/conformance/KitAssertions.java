package dev.sequor.conformance;

import java.util.Locale;

import org.opentest4j.AssertionFailedError;

/**
 * Assertions that compare a backend's float32 output with the oracle's exact values and, on failure,
 * say where: how many elements failed, and the worst one with its index, actual and expected values.
 */
public final class KitAssertions {

    private KitAssertions() {
    }

    /**
     * Asserts {@code actual[i]} is accepted by {@code tol} against {@code expected[i]} for every i.
     *
     * @param what names the check in the failure message, e.g. {@code "gemm NT 17x33x67"}
     * @throws AssertionFailedError naming the worst element (largest excess over the allowed error)
     */
    public static void assertClose(float[] actual, double[] expected, Tolerance tol, String what) {
        if (actual.length != expected.length) {
            throw new AssertionFailedError(what + ": length " + actual.length + " but expected " + expected.length);
        }
        int bad = 0;
        int worst = -1;
        double worstExcess = -1;
        for (int i = 0; i < actual.length; i++) {
            if (tol.accepts(actual[i], expected[i])) {
                continue;
            }
            bad++;
            double excess = excess(actual[i], expected[i], tol);
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = i;
            }
        }
        if (bad > 0) {
            throw new AssertionFailedError(String.format(Locale.ROOT,
                    "%s: %d of %d elements outside %s; worst at [%d]: actual %s, expected %s (|diff| %s, allowed %s)",
                    what, bad, actual.length, tol, worst,
                    Float.toString(actual[worst]), Double.toString(expected[worst]),
                    Double.toString(Math.abs(actual[worst] - expected[worst])), allowedText(expected[worst], tol)));
        }
    }

    /** {@link #assertClose(float[], double[], Tolerance, String)} with float expectations. */
    public static void assertClose(float[] actual, float[] expected, Tolerance tol, String what) {
        double[] e = new double[expected.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = expected[i];
        }
        assertClose(actual, e, tol, what);
    }

    /** Asserts the arrays are equal bit for bit (NaNs compared after canonicalisation, -0 differs from +0). */
    public static void assertBitwise(float[] actual, float[] expected, String what) {
        if (actual.length != expected.length) {
            throw new AssertionFailedError(what + ": length " + actual.length + " but expected " + expected.length);
        }
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(expected[i])) {
                throw new AssertionFailedError(what + ": first difference at [" + i + "]: actual " + actual[i]
                        + " (0x" + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + "),"
                        + " expected " + expected[i]
                        + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + ")");
            }
        }
    }

    private static String allowedText(double expected, Tolerance tol) {
        return Double.isNaN(expected) || Double.isInfinite((float) expected) ? "none: must be " + (float) expected
                : Double.toString(tol.allowed(expected));
    }

    /** How far beyond the allowed error an element is; NaN or infinite mismatches rank worst. */
    private static double excess(float a, double e, Tolerance tol) {
        double diff = Math.abs(a - e);
        if (Double.isNaN(diff) || Double.isInfinite(diff)) {
            return Double.MAX_VALUE;
        }
        return diff - tol.allowed(e);
    }
}
