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
 *
 * <p>The 1-3 rows left after whole tiles (all of A at batch 1, a streaming step) go to
 * {@link Narrow}'s kernels, which hold several panels of one or two rows instead of padding to four
 * rows; every element of C is still the same chain of FMAs over p from zero, so the bits do not
 * depend on which kernel computed it.
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
            int full = rows / MR * MR;
            int rest = rows - full;
            int pw = kcb * NR;                                // from one panel to the next
            for (int j = j0; j < j1; j++) {
                int bi = p0 * panels * NR + j * pw;           // as PackedB.panelOffset
                for (int r = 0; r < full; r += MR) {
                    int a0 = ao + r * lda + p0;
                    tile(kcb, a, a0, a0 + lda, a0 + 2 * lda, a0 + 3 * lda, pb, bi, c, co + r * ldc + j * NR, ldc, MR,
                            add);
                }
            }
            if (rest > 0) {
                narrow(rest, kcb, a, ao + full * lda + p0, lda, pb, p0 * panels * NR, pw, j0, j1, c,
                        co + full * ldc, ldc, add);
            }
        }
    }

    /** The last {@code rest} (1-3) rows over panels {@code [j0, j1)} of one k block starting at {@code pb[b0]}. */
    private static void narrow(int rest, int kcb, float[] a, int a0, int lda, float[] pb, int b0, int pw, int j0,
                               int j1, float[] c, int c0, int ldc, boolean add) {
        int group = rest == 1 ? 4 : rest == 2 ? 2 : 1;
        int j = j0;
        for (; j + group <= j1; j += group) {
            int bi = b0 + j * pw;
            int ci = c0 + j * NR;
            switch (rest) {
                case 1 -> Narrow.row1x4(kcb, a, a0, pb, bi, pw, c, ci, add);
                case 2 -> Narrow.rows2x2(kcb, a, a0, lda, pb, bi, pw, c, ci, ldc, add);
                default -> Narrow.rows3(kcb, a, a0, lda, pb, bi, c, ci, ldc, add);
            }
        }
        for (; j < j1; j++) {
            // fewer panels than a group left: the tile, its missing rows re-reading row 0 (dropped)
            tile(kcb, a, a0, rest > 1 ? a0 + lda : a0, a0, a0, pb, b0 + j * pw, c, c0 + j * NR, ldc, rest, add);
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

    static void store(FloatVector v0, FloatVector v1, float[] c, int ci, boolean add) {
        if (add) {
            v0 = v0.add(FloatVector.fromArray(S, c, ci));
            v1 = v1.add(FloatVector.fromArray(S, c, ci + L));
        }
        v0.intoArray(c, ci);
        v1.intoArray(c, ci + L);
    }
}
