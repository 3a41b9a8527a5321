package dev.sequor.conformance;

import static dev.sequor.conformance.KitAssertions.assertClose;

import dev.sequor.spi.Buffer;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The fused layer-norm kernel ({@code layerNormForward}, {@code layerNormBackward}) against
 * {@link FusedOracle}: several (rows, cols) layouts with and without the affine parameters, rows
 * offset from zero, a constant row (variance 0: only eps keeps it finite), and the backward with
 * and without gamma, including the outputs a caller may leave null. Held to {@link OpFamily#FUSED}.
 */
public interface LayerNormConformance extends BackendUnderTest {

    /** (rows, cols) layouts. */
    int[][] LN_LAYOUTS = {{1, 1}, {4, 8}, {3, 33}, {2, 130}, {5, 7}, {0, 4}};

    @Test
    default void layerNormForwardOverLayouts() {
        for (int[] l : LN_LAYOUTS) {
            float[] x = Inputs.uniform(l[0] * 17L + l[1], l[0] * l[1], -2, 2);
            float[] gamma = Inputs.uniform(l[1] + 1L, l[1], 0.5f, 1.5f);
            float[] beta = Inputs.uniform(l[1] + 2L, l[1], -0.5f, 0.5f);
            String at = " (" + l[0] + ", " + l[1] + ")";
            forwardCase(x, gamma, beta, l[0], l[1], 1e-5f, "affine" + at);
            forwardCase(x, null, null, l[0], l[1], 1e-5f, "no affine" + at);
            forwardCase(x, gamma, null, l[0], l[1], 1e-3f, "gamma only, eps 1e-3" + at);
        }
    }

    @Test
    default void layerNormForwardOffsetAndConstantRows() {
        forwardCase(Inputs.uniform(51, 3 * 64, 9, 11), null, null, 3, 64, 1e-5f, "rows around 10");
        float[] constant = new float[2 * 6];
        Arrays.fill(constant, 3.25f);
        forwardCase(constant, null, Inputs.uniform(52, 6, -1, 1), 2, 6, 1e-5f, "constant rows (variance 0)");
    }

    @Test
    default void layerNormBackwardOverLayouts() {
        for (int[] l : LN_LAYOUTS) {
            int n = l[0] * l[1];
            float[] x = Inputs.uniform(l[0] * 19L + l[1], n, -2, 2);
            float[] gamma = Inputs.uniform(l[1] + 3L, l[1], 0.5f, 1.5f);
            float[] gy = Inputs.uniform(l[1] + 4L, n, -1, 1);
            double[][] saved = FusedOracle.layerNorm(x, gamma, null, l[0], l[1], 1e-5);
            float[] mean = toFloat(saved[1]);
            float[] rstd = toFloat(saved[2]);
            String at = " (" + l[0] + ", " + l[1] + ")";
            backwardCase(gy, x, mean, rstd, gamma, l[0], l[1], true, "with gamma" + at);
            backwardCase(gy, x, mean, rstd, null, l[0], l[1], true, "without gamma" + at);
            backwardCase(gy, x, mean, rstd, gamma, l[0], l[1], false, "gx only" + at);
        }
    }

    private void forwardCase(float[] x, float[] gamma, float[] beta, int rows, int cols, float eps, String what) {
        double[][] expected = FusedOracle.layerNorm(x, gamma, beta, rows, cols, eps);
        try (Buffer xb = device(x); Buffer gb = gamma == null ? null : device(gamma);
             Buffer bb = beta == null ? null : device(beta); Buffer y = backend().allocate(Math.max(1, x.length));
             Buffer mean = backend().allocate(Math.max(1, rows)); Buffer rstd = backend().allocate(Math.max(1, rows))) {
            backend().layerNormForward(xb, gb, bb, rows, cols, eps, y, mean, rstd);
            Tolerance tol = tolerance(OpFamily.FUSED);
            assertClose(Arrays.copyOf(download(y), x.length), expected[0], tol, "layerNormForward y, " + what);
            assertClose(Arrays.copyOf(download(mean), rows), expected[1], tol, "layerNormForward mean, " + what);
            assertClose(Arrays.copyOf(download(rstd), rows), expected[2], tol, "layerNormForward rstd, " + what);
        }
    }

    private void backwardCase(float[] gy, float[] x, float[] mean, float[] rstd, float[] gamma, int rows, int cols,
                              boolean paramGrads, String what) {
        double[][] expected = FusedOracle.layerNormBackward(gy, x, mean, rstd, gamma, rows, cols);
        try (Buffer gyb = device(gy); Buffer xb = device(x); Buffer mb = device(mean); Buffer rb = device(rstd);
             Buffer gb = gamma == null ? null : device(gamma); Buffer gx = backend().allocate(Math.max(1, x.length));
             Buffer gGamma = paramGrads ? backend().allocate(cols) : null;
             Buffer gBeta = paramGrads ? backend().allocate(cols) : null) {
            backend().layerNormBackward(gyb, xb, mb, rb, gb, rows, cols, gx, gGamma, gBeta);
            Tolerance tol = tolerance(OpFamily.FUSED);
            assertClose(Arrays.copyOf(download(gx), x.length), expected[0], tol, "layerNormBackward gx, " + what);
            if (paramGrads) {
                assertClose(download(gGamma), expected[1], tol, "layerNormBackward gGamma, " + what);
                assertClose(download(gBeta), expected[2], tol, "layerNormBackward gBeta, " + what);
            }
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
