package dev.sequor.backend.opencl;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.MatrixView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;

import static dev.sequor.backend.opencl.OpenClTestSupport.download;
import static dev.sequor.backend.opencl.OpenClTestSupport.upload;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both GEMM kernels (packed for CPUs, tiled for GPUs) against a double-precision loop, on one
 * device: the tiled one runs on a second backend built with the GPU kernel family.
 */
class GemmTest {

    private static Backend shared;
    private static Backend tiled;

    @BeforeAll
    static void setUp() {
        shared = OpenClTestSupport.backend();
        tiled = OpenClTestSupport.gpuKernelsBackend();
    }

    private Backend pick(String kind) {
        assertThat(kind.equals("tiled") ? tiled.description() : "").contains(kind.equals("tiled") ? "tiled" : "");
        return kind.equals("tiled") ? tiled : shared;
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "tiled"})
    void allTransposesWithOffsetsLdAndBatch(String kind) {
        Backend be = pick(kind);
        Random r = new Random(1);
        int[][] sizes = {{1, 1, 1}, {5, 7, 3}, {33, 17, 65}, {4, 16, 8}, {70, 35, 40}};
        for (int[] s : sizes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                check(be, r, ta, tb, 3, s[0], s[1], s[2], 0.75f, 0.5f, false);
                check(be, r, ta, tb, 2, s[0], s[1], s[2], 1f, 0f, true);
            }
        }
    }

    /** Runs one batched product with padded ld, offsets and a shared (stride 0) A when asked. */
    private static void check(Backend be, Random r, boolean ta, boolean tb, int batch, int m, int n, int k,
                              float alpha, float beta, boolean sharedA) {
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + 3, ldb = bCols + 1, ldc = n + 2;
        long aStride = sharedA ? 0 : (long) aRows * lda + 5, bStride = (long) bRows * ldb, cStride = (long) m * ldc + 1;
        float[] a = OpenClTestSupport.random(r, (int) (7 + (sharedA ? 1 : batch) * (long) aRows * lda + batch * 5L));
        float[] b = OpenClTestSupport.random(r, (int) (2 + batch * bStride));
        float[] c = OpenClTestSupport.random(r, (int) (4 + batch * cStride));
        if (beta == 0) {
            Arrays.fill(c, Float.NaN);   // beta == 0 must not read C
        }
        try (Buffer ab = upload(be, a); Buffer bb = upload(be, b); Buffer cb = upload(be, c)) {
            be.gemm(ta, tb, batch, m, n, k, alpha, new MatrixView(ab, 7, lda, aStride),
                    new MatrixView(bb, 2, ldb, bStride), beta, new MatrixView(cb, 4, ldc, cStride));
            float[] got = download(be, cb);
            for (int bi = 0; bi < batch; bi++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double dot = 0, mag = 0;
                        for (int p = 0; p < k; p++) {
                            double av = a[(int) (7 + bi * aStride + (ta ? (long) p * lda + i : (long) i * lda + p))];
                            double bv = b[(int) (2 + bi * bStride + (tb ? (long) j * ldb + p : (long) p * ldb + j))];
                            dot += av * bv;
                            mag += Math.abs(av * bv);
                        }
                        int ci = (int) (4 + bi * cStride + (long) i * ldc + j);
                        double want = alpha * dot + (beta == 0 ? 0 : beta * c[ci]);
                        double tol = 1e-6 * (Math.abs(alpha) * mag + (beta == 0 ? 0 : Math.abs(beta * c[ci]))) + 1e-30;
                        assertThat(Math.abs(got[ci] - want)).as("%s ta=%s tb=%s %dx%dx%d b%d (%d,%d)",
                                be.description(), ta, tb, m, n, k, bi, i, j).isLessThanOrEqualTo(tol);
                    }
                    // the padding between rows is untouched
                    if (ldc > n) {
                        int pad = (int) (4 + bi * cStride + (long) i * ldc + n);
                        assertThat(Float.floatToIntBits(got[pad])).isEqualTo(Float.floatToIntBits(c[pad]));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "tiled"})
    void zeroKScalesCAndZeroBetaClears(String kind) {
        Backend be = pick(kind);
        try (Buffer a = be.allocate(1); Buffer b = be.allocate(1); Buffer c = upload(be, new float[]{1, 2, Float.NaN, 4})) {
            be.gemm(false, false, 1, 2, 2, 0, 1f, MatrixView.of(a, 0), MatrixView.of(b, 2), 3f, MatrixView.of(c, 2));
            float[] got = download(be, c);
            assertThat(got[0]).isEqualTo(3f);
            assertThat(got[1]).isEqualTo(6f);
            assertThat(got[2]).isNaN();
            be.gemm(false, false, 1, 2, 2, 0, 1f, MatrixView.of(a, 0), MatrixView.of(b, 2), 0f, MatrixView.of(c, 2));
            assertThat(download(be, c)).containsExactly(0, 0, 0, 0);
        }
    }
}
