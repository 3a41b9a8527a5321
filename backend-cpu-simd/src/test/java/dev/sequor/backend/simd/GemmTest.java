package dev.sequor.backend.simd;

import dev.sequor.spi.Buffer;
import dev.sequor.spi.MatrixView;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.sequor.backend.simd.Fixtures.SIMD;
import static org.assertj.core.api.Assertions.assertThat;

/** GEMM against a double-precision triple loop, over transposes, tails, offsets, ld and batches. */
class GemmTest {

    /** One case: sizes, flags, padding of ld, offsets and batch strides (0 shares the matrix). */
    private static void check(boolean ta, boolean tb, int batch, int m, int n, int k, float alpha, float beta,
                              int pad, int offset, boolean shareB, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        int lda = aCols + pad;
        int ldb = bCols + pad;
        int ldc = n + pad;
        long sa = (long) aRows * lda + 3;
        long sb = shareB ? 0 : (long) bRows * ldb + 5;
        long sc = (long) m * ldc + 1;
        float[] a = Fixtures.random(r, (int) (offset + batch * sa), 1);
        float[] b = Fixtures.random(r, (int) (offset + Math.max(1, batch) * Math.max(sb, (long) bRows * ldb)), 1);
        float[] c = Fixtures.random(r, (int) (offset + batch * sc), 1);
        if (beta == 0) {
            Arrays.fill(c, Float.NaN);
        }
        float[] expect = c.clone();
        for (int bi = 0; bi < batch; bi++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double av = a[(int) (offset + bi * sa + (ta ? p * lda + i : i * lda + p))];
                        double bv = b[(int) (offset + bi * sb + (tb ? j * ldb + p : p * ldb + j))];
                        s += av * bv;
                    }
                    int ci = (int) (offset + bi * sc + i * ldc + j);
                    expect[ci] = (float) (alpha * s + (beta == 0 ? 0 : beta * (double) c[ci]));
                }
            }
        }
        Buffer ab = Fixtures.upload(SIMD, a);
        Buffer bb = Fixtures.upload(SIMD, b);
        Buffer cb = Fixtures.upload(SIMD, c);
        SIMD.gemm(ta, tb, batch, m, n, k, alpha, new MatrixView(ab, offset, lda, sa),
                new MatrixView(bb, offset, ldb, sb), beta, new MatrixView(cb, offset, ldc, sc));
        float[] got = Fixtures.download(SIMD, cb);
        // Padding between rows must stay untouched (NaN when beta == 0), so compare element by element.
        String what = "gemm ta=" + ta + " tb=" + tb + " batch=" + batch + " " + m + "x" + n + "x" + k
                + " alpha=" + alpha + " beta=" + beta + " pad=" + pad;
        Fixtures.close(got, expect, 2e-5, 2e-5 * Math.sqrt(Math.max(k, 1)) * Math.abs(alpha) + 1e-6, what);
        ab.close();
        bb.close();
        cb.close();
    }

    @Test
    void smallShapesEveryTranspose() {
        long seed = 1;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                check(ta, tb, 1, 1, 1, 1, 1f, 0f, 0, 0, false, seed++);
                check(ta, tb, 1, 3, 5, 7, 1.5f, 0.5f, 2, 3, false, seed++);
                check(ta, tb, 2, 8, 9, 10, -1f, 1f, 1, 1, false, seed++);
            }
        }
    }

    @Test
    void packedShapesWithTailsEveryTranspose() {
        long seed = 100;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                check(ta, tb, 1, 37, 70, 300, 1f, 0f, 0, 0, false, seed++);
                check(ta, tb, 1, 130, 33, 257, 0.5f, 2f, 3, 7, false, seed++);
                check(ta, tb, 2, 5, 200, 64, 1f, 1f, 0, 2, false, seed++);
                check(ta, tb, 3, 64, 64, 64, 1f, 0f, 1, 0, true, seed++);
            }
        }
    }

    @Test
    void largeParallelShapes() {
        check(false, false, 1, 300, 257, 520, 1f, 0f, 0, 0, false, 7);
        check(false, true, 1, 8, 1030, 256, 1f, 0.25f, 0, 0, false, 8);
        check(true, false, 1, 520, 96, 130, 2f, 0f, 5, 1, false, 9);
        check(false, false, 4, 100, 100, 120, 1f, 0f, 0, 0, true, 10);
        check(true, true, 5, 48, 40, 33, 1f, 1f, 0, 0, false, 11);
    }

    @Test
    void kZeroScalesCAndBetaZeroIgnoresIt() {
        Buffer a = SIMD.allocate(4);
        Buffer b = SIMD.allocate(4);
        Buffer c = Fixtures.upload(SIMD, new float[] {1, 2, Float.NaN, 4});
        SIMD.gemm(false, false, 1, 2, 2, 0, 1f, MatrixView.of(a, 0), MatrixView.of(b, 2), 0f, MatrixView.of(c, 2));
        assertThat(Fixtures.download(SIMD, c)).containsExactly(0, 0, 0, 0);
        SIMD.upload(new float[] {1, 2, 3, 4}, 0, c, 0, 4);
        SIMD.gemm(false, false, 1, 2, 2, 0, 1f, MatrixView.of(a, 0), MatrixView.of(b, 2), 3f, MatrixView.of(c, 2));
        assertThat(Fixtures.download(SIMD, c)).containsExactly(3, 6, 9, 12);
        a.close();
        b.close();
        c.close();
    }

    @Test
    void reusedPackedBGivesTheSameProduct() {
        SplittableRandom r = new SplittableRandom(3);
        int m = 33;
        int n = 70;
        int k = 300;
        float[] a = Fixtures.random(r, m * k, 1);
        float[] b = Fixtures.random(r, k * n, 1);
        WorkerPool pool = new WorkerPool(2);
        PackedB pb = PackedB.pack(b, 0, n, false, k, n, null, pool);
        float[] c1 = new float[m * n];
        float[] c2 = new float[m * n];
        Gemm.multiply(false, m, 1f, a, 0, k, pb, 0f, c1, 0, n, pool);
        Gemm.multiply(false, m, 1f, a, 0, k, pb, 0f, c2, 0, n, pool);
        Gemm.small(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c2, 0, n);
        Fixtures.close(c1, c2, 1e-5, 1e-4, "packed vs direct");
        pool.close();
    }
}
