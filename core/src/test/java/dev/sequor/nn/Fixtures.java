package dev.sequor.nn;

import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;
import dev.sequor.spi.CounterRng;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared test data: seeded inputs on the reference backend and a close-enough assertion. */
final class Fixtures {

    static final Backend BE = Backends.get("reference");

    private Fixtures() {
    }

    /** @return seeded uniform values in [lo, hi) as a host array */
    static float[] uniform(long seed, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * CounterRng.uniform(seed, i));
        }
        return v;
    }

    /** @return a leaf that requires a gradient, with seeded values in [lo, hi) */
    static Tensor param(long seed, double lo, double hi, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Tensor.of(BE, uniform(seed, n, lo, hi), shape).requiresGrad(true);
    }

    /** Asserts {@code |actual - expected| <= tol * max(1, |expected|)} element by element. */
    static void assertClose(String what, float[] actual, double[] expected, double tol) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= tol * Math.max(1, Math.abs(expected[i])))) {
                throw new AssertionError(what + "[" + i + "]: " + actual[i] + " vs expected " + expected[i]
                        + " (error " + err + ", tolerance " + tol + ")");
            }
        }
    }

    static void assertClose(String what, float actual, double expected, double tol) {
        assertClose(what, new float[] {actual}, new double[] {expected}, tol);
    }
}
