package dev.sequor.backend.opencl;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.ReduceOp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static dev.sequor.backend.opencl.OpenClTestSupport.download;
import static dev.sequor.backend.opencl.OpenClTestSupport.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reductions and softmax against double-precision loops over (outer, n, inner). */
class ReduceSoftmaxTest {

    private static Backend be;

    @BeforeAll
    static void setUp() {
        be = OpenClTestSupport.backend();
    }

    private static double expected(ReduceOp op, float[] x, int base, int n, int inner) {
        double s = 0;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        int argMax = 0;
        int argMin = 0;
        for (int j = 0; j < n; j++) {
            float v = x[base + j * inner];
            s += v;
            if (v > max) {
                max = v;
                argMax = j;
            }
            if (v < min) {
                min = v;
                argMin = j;
            }
        }
        double lse = 0;
        for (int j = 0; j < n; j++) {
            lse += Math.exp(x[base + j * inner] - max);
        }
        return switch (op) {
            case SUM -> s;
            case MEAN -> s / n;
            case MAX -> max;
            case MIN -> min;
            case ARGMAX -> argMax;
            case ARGMIN -> argMin;
            case LOGSUMEXP -> max + Math.log(lse);
        };
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reduceOverMiddleAxis(ReduceOp op) {
        int[][] shapes = {{3, 5, 4}, {2, 1000, 1}, {1, 7, 33}};
        Random r = new Random(op.ordinal());
        for (int[] s : shapes) {
            int outer = s[0], n = s[1], inner = s[2];
            float[] x = new float[outer * n * inner];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextGaussian() * 10 + 3);
            }
            try (Buffer xb = upload(be, x); Buffer out = be.allocate(outer * inner)) {
                be.reduce(op, xb, outer, n, inner, out);
                float[] got = download(be, out);
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        float want = (float) expected(op, x, o * n * inner + i, n, inner);
                        ElementwiseTest.assertClose(op + " at " + o + "," + i, want, got[o * inner + i], 4);
                    }
                }
            }
        }
    }

    @Test
    void sumIsCompensated() {
        // 1e8 followed by many ones: naive float summation loses every one of them.
        int n = 10_001;
        float[] x = new float[n];
        x[0] = 1e8f;
        Arrays.fill(x, 1, n, 1f);
        try (Buffer xb = upload(be, x); Buffer out = be.allocate(1)) {
            be.reduce(ReduceOp.SUM, xb, 1, n, 1, out);
            assertEquals(100_010_000f, download(be, out)[0]);
        }
    }

    @Test
    void nanAndEmptyRows() {
        float[] x = {1, Float.NaN, 3, Float.NaN, 5, 2};
        try (Buffer xb = upload(be, x); Buffer out = be.allocate(2)) {
            be.reduce(ReduceOp.ARGMAX, xb, 2, 3, 1, out);
            assertThat(download(be, out)).containsExactly(1, 0);
            be.reduce(ReduceOp.MAX, xb, 2, 3, 1, out);
            assertThat(download(be, out)).containsExactly(Float.NaN, Float.NaN);
            be.reduce(ReduceOp.SUM, xb, 2, 0, 1, out);
            assertThat(download(be, out)).containsExactly(0, 0);
        }
    }

    @Test
    void softmaxAndLogSoftmaxWithBackward() {
        int outer = 3, n = 17, inner = 5;
        Random r = new Random(7);
        float[] x = new float[outer * n * inner];
        float[] gy = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 30);
            gy[i] = (float) r.nextGaussian();
        }
        for (boolean log : new boolean[]{false, true}) {
            try (Buffer xb = upload(be, x); Buffer y = be.allocate(x.length); Buffer g = upload(be, gy);
                 Buffer gx = be.allocate(x.length)) {
                be.softmax(xb, outer, n, inner, log, y);
                float[] yh = download(be, y);
                be.softmaxBackward(y, g, outer, n, inner, log, gx);
                float[] gxh = download(be, gx);
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        int base = o * n * inner + i;
                        double m = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < n; j++) {
                            m = Math.max(m, x[base + j * inner]);
                        }
                        double s = 0;
                        for (int j = 0; j < n; j++) {
                            s += Math.exp(x[base + j * inner] - m);
                        }
                        double dot = 0;
                        for (int j = 0; j < n; j++) {
                            int p = base + j * inner;
                            dot += log ? gy[p] : (double) gy[p] * yh[p];
                        }
                        for (int j = 0; j < n; j++) {
                            int p = base + j * inner;
                            double sh = x[p] - m;
                            float want = (float) (log ? sh - Math.log(s) : Math.exp(sh) / s);
                            // float exp is good to a few ulp; tiny outputs are judged absolutely
                            assertThat((double) Math.abs(yh[p] - want)).as("softmax log=" + log)
                                    .isLessThanOrEqualTo(1e-6 * Math.abs(want) + 1e-12);
                            float wantG = (float) (log ? gy[p] - Math.exp(yh[p]) * dot : yh[p] * (gy[p] - dot));
                            assertThat((double) Math.abs(gxh[p] - wantG)).as("backward log=" + log)
                                    .isLessThanOrEqualTo(1e-6 * (1 + Math.abs(wantG)));
                        }
                    }
                }
            }
        }
    }

    @Test
    void softmaxOfAllMinusInfinityIsNaN() {
        float[] x = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, 1000};
        try (Buffer xb = upload(be, x); Buffer y = be.allocate(4)) {
            be.softmax(xb, 2, 2, 1, false, y);
            float[] got = download(be, y);
            assertThat(got[0]).isNaN();
            assertThat(got[1]).isNaN();
            assertThat(got[2]).isEqualTo(0f);
            assertThat(got[3]).isEqualTo(1f);
        }
    }
}
