package dev.sequor.backend.simd;

import jdk.incubator.vector.FloatVector;

import static dev.sequor.backend.simd.GemmKernel.KC;
import static dev.sequor.backend.simd.GemmKernel.L;
import static dev.sequor.backend.simd.GemmKernel.MR;
import static dev.sequor.backend.simd.GemmKernel.NR;
import static dev.sequor.backend.simd.GemmKernel.S;

/**
 * The per-step product of a recurrent kernel, {@code C[:, panels j0..j1) (+)= A * B}, with B packed
 * once per sequence ({@link PackedB}) and A read in place, unpacked. A is one step's state or
 * gate gradients, a few rows by at most a few thousand columns, already in cache: packing it would
 * cost a pass over it at every step, while the micro-kernel only broadcasts one element of each of
 * {@link GemmKernel#MR} rows per depth step, which it can read from four row pointers as cheaply as
 * from a packed sliver.
 * (An 8-row tile with 16 accumulators measured 1.2x faster alone on AVX-512 but 3-4x slower inside
 * the LSTM kernels, where C2 did not keep its accumulators in registers; callers give A a row
 * stride that is not a multiple of 4 KiB, see {@link SimdRecurrent#rowStride}.)
 */
final class RecurrentGemm {

    private RecurrentGemm() {
    }

    /**
     * For the panels {@code j0 <= j < j1} of B, {@code (k, panels * NR)} packed in {@link PackedB}'s
     * order in {@code pb} (columns {@code j*NR .. j*NR+NR} of C, which
     * must all exist: callers pad C to whole panels), {@code C = A * B} or, when {@code accumulate},
     * {@code C += A * B}. A is {@code rows x k} at {@code a[ao + i*lda + p]}; C is at
     * {@code c[co + i*ldc + j]}.
     */
    static void multiply(int rows, float[] a, int ao, int lda, float[] pb, int k, int panels, int j0, int j1,
                         float[] c, int co, int ldc, boolean accumulate) {
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kcb = Math.min(KC, k - p0);
            boolean add = accumulate || p0 > 0;
            for (int j = j0; j < j1; j++) {
                int bi = p0 * panels * NR + j * kcb * NR;    // as PackedB.panelOffset
                for (int r = 0; r < rows; r += MR) {
                    int rn = Math.min(MR, rows - r);
                    int a0 = ao + r * lda + p0;
                    // Missing rows of a short last sliver re-read row 0 of it; their sums are dropped.
                    int a1 = rn > 1 ? a0 + lda : a0;
                    int a2 = rn > 2 ? a0 + 2 * lda : a0;
                    int a3 = rn > 3 ? a0 + 3 * lda : a0;
                    tile(kcb, a, a0, a1, a2, a3, pb, bi, c, co + r * ldc + j * NR, ldc, rn, add);
                }
            }
        }
    }

    /**
     * One {@code MR x NR} tile over one k block, rows of A at four offsets. Inner kernel loop: kept
     * long on purpose so the eight accumulators stay in registers.
     */
    private static void tile(int kc, float[] a, int a0, int a1, int a2, int a3, float[] b, int bi,
                             float[] c, int ci, int ldc, int rows, boolean add) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            bi += NR;
        }
        store(c00, c01, c, ci, add);
        if (rows > 1) {
            store(c10, c11, c, ci + ldc, add);
        }
        if (rows > 2) {
            store(c20, c21, c, ci + 2 * ldc, add);
        }
        if (rows > 3) {
            store(c30, c31, c, ci + 3 * ldc, add);
        }
    }

    private static void store(FloatVector v0, FloatVector v1, float[] c, int ci, boolean add) {
        if (add) {
            v0 = v0.add(FloatVector.fromArray(S, c, ci));
            v1 = v1.add(FloatVector.fromArray(S, c, ci + L));
        }
        v0.intoArray(c, ci);
        v1.intoArray(c, ci + L);
    }
}
