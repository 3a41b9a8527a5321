package dev.sequor.backend.simd;

import jdk.incubator.vector.FloatVector;

import static dev.sequor.backend.simd.GemmKernel.L;
import static dev.sequor.backend.simd.GemmKernel.NR;
import static dev.sequor.backend.simd.GemmKernel.S;

/**
 * GEMV-shaped kernels for the 1-3 rows of A that do not fill a {@link GemmKernel#MR}-row tile in
 * {@link RecurrentGemm}: {@code C[r, panel cols] (+)= sum_p A[r, p] B[p, panel cols]} over one k
 * block of {@code kc}, B packed ({@code kc x NR} per panel, panels {@code pw} floats apart).
 * One row holds four panels (eight accumulators) and two rows two panels, so the FMA chains are as
 * many as in the 4-row tile without computing rows that are dropped. Each element of C is the same
 * sequential FMA chain over p from zero as in the tile, so the results are bitwise the tile's.
 */
final class Narrow {

    private Narrow() {
    }

    /** One row of A at {@code a[ai..]} by panels at {@code bi, bi+pw, bi+2pw, bi+3pw} into C at {@code c[ci..]}. */
    static void row1x4(int kc, float[] a, int ai, float[] b, int bi, int pw, float[] c, int ci, boolean add) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        int b1 = bi + pw;
        int b2 = bi + 2 * pw;
        int b3 = bi + 3 * pw;
        for (int p = 0; p < kc; p++) {
            FloatVector x = FloatVector.broadcast(S, a[ai + p]);
            int o = p * NR;
            c00 = x.fma(FloatVector.fromArray(S, b, bi + o), c00);
            c01 = x.fma(FloatVector.fromArray(S, b, bi + o + L), c01);
            c10 = x.fma(FloatVector.fromArray(S, b, b1 + o), c10);
            c11 = x.fma(FloatVector.fromArray(S, b, b1 + o + L), c11);
            c20 = x.fma(FloatVector.fromArray(S, b, b2 + o), c20);
            c21 = x.fma(FloatVector.fromArray(S, b, b2 + o + L), c21);
            c30 = x.fma(FloatVector.fromArray(S, b, b3 + o), c30);
            c31 = x.fma(FloatVector.fromArray(S, b, b3 + o + L), c31);
        }
        RecurrentGemm.store(c00, c01, c, ci, add);
        RecurrentGemm.store(c10, c11, c, ci + NR, add);
        RecurrentGemm.store(c20, c21, c, ci + 2 * NR, add);
        RecurrentGemm.store(c30, c31, c, ci + 3 * NR, add);
    }

    /** Two rows of A ({@code lda} apart) by the panels at {@code bi} and {@code bi+pw}; C rows {@code ldc} apart. */
    static void rows2x2(int kc, float[] a, int ai, int lda, float[] b, int bi, int pw, float[] c, int ci, int ldc,
                        boolean add) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        int a1 = ai + lda;
        int b1 = bi + pw;
        for (int p = 0; p < kc; p++) {
            int o = p * NR;
            FloatVector v0 = FloatVector.fromArray(S, b, bi + o);
            FloatVector v1 = FloatVector.fromArray(S, b, bi + o + L);
            FloatVector v2 = FloatVector.fromArray(S, b, b1 + o);
            FloatVector v3 = FloatVector.fromArray(S, b, b1 + o + L);
            FloatVector x0 = FloatVector.broadcast(S, a[ai + p]);
            c00 = x0.fma(v0, c00);
            c01 = x0.fma(v1, c01);
            c02 = x0.fma(v2, c02);
            c03 = x0.fma(v3, c03);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x1.fma(v0, c10);
            c11 = x1.fma(v1, c11);
            c12 = x1.fma(v2, c12);
            c13 = x1.fma(v3, c13);
        }
        RecurrentGemm.store(c00, c01, c, ci, add);
        RecurrentGemm.store(c02, c03, c, ci + NR, add);
        RecurrentGemm.store(c10, c11, c, ci + ldc, add);
        RecurrentGemm.store(c12, c13, c, ci + ldc + NR, add);
    }

    /** Three rows of A by one panel: the 4-row tile without its fourth row. */
    static void rows3(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] c, int ci, int ldc,
                      boolean add) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        int a1 = ai + lda;
        int a2 = ai + 2 * lda;
        for (int p = 0; p < kc; p++) {
            FloatVector v0 = FloatVector.fromArray(S, b, bi);
            FloatVector v1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector x0 = FloatVector.broadcast(S, a[ai + p]);
            c00 = x0.fma(v0, c00);
            c01 = x0.fma(v1, c01);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x1.fma(v0, c10);
            c11 = x1.fma(v1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x2.fma(v0, c20);
            c21 = x2.fma(v1, c21);
            bi += NR;
        }
        RecurrentGemm.store(c00, c01, c, ci, add);
        RecurrentGemm.store(c10, c11, c, ci + ldc, add);
        RecurrentGemm.store(c20, c21, c, ci + 2 * ldc, add);
    }
}
