package dev.sequor.conformance;

import dev.sequor.spi.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static dev.sequor.conformance.KitAssertions.assertClose;

/**
 * Softmax and log-softmax, forward and backward, along the last, first and a middle axis, against
 * {@link ReductionOracle}: moderate inputs, magnitudes of 1e4 (exact only if the maximum is
 * subtracted), -Inf entries as attention masks, a fully masked row (NaN, as PyTorch) and n = 1.
 * Held to {@link OpFamily#SOFTMAX}.
 */
public interface SoftmaxConformance extends BackendUnderTest {

    /** (outer, n, inner) layouts. */
    int[][] SOFTMAX_LAYOUTS = {{1, 1, 1}, {4, 1, 3}, {1, 17, 1}, {5, 33, 1}, {2, 7, 5}, {1, 6, 4}, {3, 130, 1},
        {0, 4, 4}};

    @ParameterizedTest(name = "log={0}")
    @ValueSource(booleans = {false, true})
    default void softmaxForwardOverLayouts(boolean log) {
        for (int[] l : SOFTMAX_LAYOUTS) {
            float[] x = Inputs.uniform(l[1] * 13L + l[2], l[0] * l[1] * l[2], -4, 4);
            forward(x, l[0], l[1], l[2], log, layout(log, l));
        }
    }

    @ParameterizedTest(name = "log={0}")
    @ValueSource(booleans = {false, true})
    default void softmaxForwardLargeMagnitudesAndMasks(boolean log) {
        forward(Inputs.uniform(5, 4 * 9, -1e4f, 1e4f), 4, 9, 1, log, "magnitudes of 1e4");
        float[] big = Inputs.uniform(6, 3 * 8, 1e4f, 1e4f + 3f);
        forward(big, 3, 8, 1, log, "all near 1e4 with small differences");
        float ninf = Float.NEGATIVE_INFINITY;
        float[] masked = {
            0.5f, ninf, 1.5f, ninf, -2f,
            ninf, ninf, ninf, ninf, 3f,
            ninf, ninf, ninf, ninf, ninf,
        };
        forward(masked, 3, 5, 1, log, "-Inf masks, one fully masked row");
    }

    @ParameterizedTest(name = "log={0}")
    @ValueSource(booleans = {false, true})
    default void softmaxBackwardOverLayouts(boolean log) {
        for (int[] l : SOFTMAX_LAYOUTS) {
            int size = l[0] * l[1] * l[2];
            // y must be a real (log-)softmax output; the oracle's, rounded to float, is one.
            float[] y = toFloat(ReductionOracle.softmax(Inputs.uniform(l[1] + 3L, size, -4, 4), l[0], l[1], l[2], log));
            float[] gy = Inputs.uniform(l[1] + 4L, size, -1, 1);
            double[] expected = ReductionOracle.softmaxBackward(y, gy, l[0], l[1], l[2], log);
            try (Buffer yb = device(y); Buffer gb = device(gy); Buffer gx = backend().allocate(Math.max(1, size))) {
                backend().softmaxBackward(yb, gb, l[0], l[1], l[2], log, gx);
                assertClose(Arrays.copyOf(download(gx), size), expected, tolerance(OpFamily.SOFTMAX),
                        "backward of " + layout(log, l));
            }
        }
    }

    @ParameterizedTest(name = "log={0}")
    @ValueSource(booleans = {false, true})
    default void softmaxBackwardThroughMaskedEntries(boolean log) {
        float ninf = Float.NEGATIVE_INFINITY;
        float[] x = {0.5f, ninf, 1.5f, ninf, -2f, ninf, 2f, ninf, 0f, 3f};
        // y is 0 (softmax) or -Inf (log-softmax) at masked entries; their gradient must stay finite.
        float[] y = toFloat(ReductionOracle.softmax(x, 2, 5, 1, log));
        float[] gy = Inputs.uniform(8, 10, -1, 1);
        double[] expected = ReductionOracle.softmaxBackward(y, gy, 2, 5, 1, log);
        try (Buffer yb = device(y); Buffer gb = device(gy); Buffer gx = backend().allocate(10)) {
            backend().softmaxBackward(yb, gb, 2, 5, 1, log, gx);
            assertClose(download(gx), expected, tolerance(OpFamily.SOFTMAX),
                    (log ? "logSoftmax" : "softmax") + " backward through -Inf masks");
        }
    }

    private void forward(float[] x, int outer, int n, int inner, boolean log, String what) {
        double[] expected = ReductionOracle.softmax(x, outer, n, inner, log);
        try (Buffer xb = device(x); Buffer y = backend().allocate(Math.max(1, x.length))) {
            backend().softmax(xb, outer, n, inner, log, y);
            assertClose(Arrays.copyOf(download(y), x.length), expected, tolerance(OpFamily.SOFTMAX),
                    (log ? "logSoftmax " : "softmax ") + what);
        }
    }

    /** Uploads {@code x} into a buffer of at least one element (so empty layouts still get a buffer). */
    private Buffer device(float[] x) {
        Buffer b = backend().allocate(Math.max(1, x.length));
        backend().upload(x, 0, b, 0, x.length);
        return b;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static String layout(boolean log, int[] l) {
        return (log ? "logSoftmax" : "softmax") + " over (" + l[0] + ", " + l[1] + ", " + l[2] + ")";
    }
}
