package dev.sequor.conformance;

import static dev.sequor.conformance.KitAssertions.assertClose;

import dev.sequor.spi.Buffer;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The fused softmax cross-entropy kernel ({@code crossEntropyForward}, {@code crossEntropyBackward})
 * against {@link FusedOracle}: several (rows, classes) layouts, ignored rows (PyTorch's -100 and an
 * in-range ignore index), label smoothing, logits of magnitude 1e4, an ignored row of non-finite
 * logits, and the backward with per-row upstream gradients. Held to {@link OpFamily#FUSED}.
 */
public interface CrossEntropyConformance extends BackendUnderTest {

    /** (rows, classes) layouts. */
    int[][] CE_LAYOUTS = {{1, 1}, {4, 5}, {7, 33}, {3, 130}, {0, 4}};

    @Test
    default void crossEntropyForwardOverLayoutsWithIgnoredRows() {
        for (int[] l : CE_LAYOUTS) {
            float[] x = Inputs.uniform(l[0] * 31L + l[1], l[0] * l[1], -4, 4);
            float[] t = Inputs.indices(l[0] + 7L, l[0], l[1]);
            for (int r = 1; r < t.length; r += 3) {
                t[r] = -100;
            }
            forwardCase(x, t, l[0], l[1], -100, 0f, "(" + l[0] + ", " + l[1] + ") with -100 rows");
        }
    }

    @Test
    default void crossEntropyForwardLabelSmoothingAndInRangeIgnoreIndex() {
        float[] x = Inputs.uniform(41, 6 * 9, -3, 3);
        float[] t = {0, 2, 8, 2, 5, 1};
        forwardCase(x, t, 6, 9, -100, 0.1f, "label smoothing 0.1");
        forwardCase(x, t, 6, 9, 2, 0.25f, "ignore index 2 (a class id), smoothing 0.25");
        forwardCase(x, new float[] {2, 2, 2, 2, 2, 2}, 6, 9, 2, 0f, "every row ignored");
    }

    @Test
    default void crossEntropyForwardLargeLogitsAndNonFiniteIgnoredRows() {
        forwardCase(Inputs.uniform(43, 5 * 7, -1e4f, 1e4f), Inputs.indices(44, 5, 7), 5, 7, -100, 0f,
                "magnitudes of 1e4");
        forwardCase(Inputs.uniform(45, 4 * 6, 1e4f, 1e4f + 2f), Inputs.indices(46, 4, 6), 4, 6, -100, 0.1f,
                "all near 1e4, smoothed");
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {1, 2, 3, Float.NaN, inf, 0, -1, 0.5f, 2};
        forwardCase(x, new float[] {2, -100, 0}, 3, 3, -100, 0f, "an ignored row of NaN and Inf has loss 0");
    }

    @Test
    default void crossEntropyBackwardOverLayouts() {
        float[] eps = {0f, 0.1f};
        for (int[] l : CE_LAYOUTS) {
            for (float e : eps) {
                int n = l[0] * l[1];
                float[] t = Inputs.indices(l[0] + 9L, l[0], l[1]);
                for (int r = 0; r < t.length; r += 4) {
                    t[r] = -100;
                }
                // logProbs must be a real log-softmax output: the oracle's, rounded to float, is one.
                float[] lp = toFloat(FusedOracle.crossEntropy(Inputs.uniform(l[1] + 5L, n, -4, 4), t, l[0], l[1],
                        -100, e)[1]);
                float[] g = Inputs.uniform(l[0] + 11L, l[0], -2, 2);
                double[] expected = FusedOracle.crossEntropyBackward(lp, t, g, l[0], l[1], -100, e);
                try (Buffer lpb = device(lp); Buffer tb = device(t); Buffer gb = device(g);
                     Buffer gx = backend().allocate(Math.max(1, n))) {
                    backend().crossEntropyBackward(lpb, tb, gb, l[0], l[1], -100, e, gx);
                    assertClose(Arrays.copyOf(download(gx), n), expected, tolerance(OpFamily.FUSED),
                            "crossEntropyBackward (" + l[0] + ", " + l[1] + ") smoothing " + e);
                }
            }
        }
    }

    private void forwardCase(float[] x, float[] t, int rows, int classes, int ignoreIndex, float eps, String what) {
        double[][] expected = FusedOracle.crossEntropy(x, t, rows, classes, ignoreIndex, eps);
        try (Buffer xb = device(x); Buffer tb = device(t); Buffer loss = backend().allocate(Math.max(1, rows));
             Buffer lp = backend().allocate(Math.max(1, x.length))) {
            backend().crossEntropyForward(xb, tb, rows, classes, ignoreIndex, eps, loss, lp);
            assertClose(Arrays.copyOf(download(loss), rows), expected[0], tolerance(OpFamily.FUSED),
                    "crossEntropyForward loss, " + what);
            assertClose(Arrays.copyOf(download(lp), x.length), expected[1], tolerance(OpFamily.FUSED),
                    "crossEntropyForward logProbs, " + what);
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
}
