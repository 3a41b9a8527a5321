package dev.sequor.backend.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM micro-kernel and A packing. A tile of {@link #MR} rows by {@link #NR} columns (two
 * vectors) lives in {@code 2 * MR} accumulator registers while the kernel streams a packed A
 * sliver ({@code kc x MR}) and a packed B panel ({@code kc x NR}); each step is one broadcast of
 * A per row and two loads of B for {@code 2 * MR} FMAs.
 */
final class GemmKernel {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Rows of the register tile; {@link #tile} and {@link #packA} are written out for four. */
    static final int MR = 4;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /** Depth of a k block: an A sliver plus a B panel stay in L1. */
    static final int KC = 256;
    /** Rows of an A block: {@code MC x KC} packed floats stay in L2. */
    static final int MC = 128;

    private GemmKernel() {
    }

    /**
     * Packs rows {@code [i0, i0+rows)} by k range {@code [p0, p0+kcb)} of {@code op(A)} into slivers of
     * {@link #MR} rows: sliver s, depth p, row r at {@code dstOff + s*kcb*MR + p*MR + r}; missing rows are 0.
     * Element (i, p) of op(A) is {@code a[ao + i*lda + p]}, or {@code a[ao + p*lda + i]} when trans.
     */
    static void packA(float[] a, int ao, int lda, boolean trans, int i0, int rows, int p0, int kcb, float[] dst,
                      int dstOff) {
        for (int s = 0; s * MR < rows; s++) {
            int base = dstOff + s * kcb * MR;
            int r0 = i0 + s * MR;
            int rn = Math.min(MR, rows - s * MR);
            if (!trans && rn == MR) {
                // Four read streams, one sequential write stream.
                int s0 = ao + r0 * lda + p0;
                int s1 = s0 + lda;
                int s2 = s1 + lda;
                int s3 = s2 + lda;
                int d = base;
                for (int p = 0; p < kcb; p++, d += MR) {
                    dst[d] = a[s0 + p];
                    dst[d + 1] = a[s1 + p];
                    dst[d + 2] = a[s2 + p];
                    dst[d + 3] = a[s3 + p];
                }
            } else if (!trans) {
                for (int r = 0; r < MR; r++) {
                    if (r < rn) {
                        int src = ao + (r0 + r) * lda + p0;
                        for (int p = 0; p < kcb; p++) {
                            dst[base + p * MR + r] = a[src + p];
                        }
                    } else {
                        for (int p = 0; p < kcb; p++) {
                            dst[base + p * MR + r] = 0f;
                        }
                    }
                }
            } else {
                for (int p = 0; p < kcb; p++) {
                    int src = ao + (p0 + p) * lda + r0;
                    int d = base + p * MR;
                    for (int r = 0; r < MR; r++) {
                        dst[d + r] = r < rn ? a[src + r] : 0f;
                    }
                }
            }
        }
    }

    /**
     * {@code C = alpha * (Apanel * Bpanel) + beta * C} for one {@code MR x NR} tile of C at
     * {@code c[ci]} with row stride {@code ldc}; C is not read when {@code beta == 0}.
     * Inner kernel loop: kept long on purpose so the eight accumulators stay in registers.
     */
    static void tile(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc, float alpha, float beta) {
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
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            ai += MR;
            bi += NR;
        }
        // The merge is written out here rather than in a helper: tile then stays one compile unit too
        // big for C2 to inline into Gemm.block, whose large compile sometimes left the helper calls
        // un-inlined and the accumulators boxed on the heap (4-8x slower, in about half of JVM runs).
        int c1 = ci + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        FloatVector va = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            c00.mul(va).intoArray(c, ci);
            c01.mul(va).intoArray(c, ci + L);
            c10.mul(va).intoArray(c, c1);
            c11.mul(va).intoArray(c, c1 + L);
            c20.mul(va).intoArray(c, c2);
            c21.mul(va).intoArray(c, c2 + L);
            c30.mul(va).intoArray(c, c3);
            c31.mul(va).intoArray(c, c3 + L);
        } else if (beta == 1f) {
            c00.fma(va, FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
            c01.fma(va, FloatVector.fromArray(S, c, ci + L)).intoArray(c, ci + L);
            c10.fma(va, FloatVector.fromArray(S, c, c1)).intoArray(c, c1);
            c11.fma(va, FloatVector.fromArray(S, c, c1 + L)).intoArray(c, c1 + L);
            c20.fma(va, FloatVector.fromArray(S, c, c2)).intoArray(c, c2);
            c21.fma(va, FloatVector.fromArray(S, c, c2 + L)).intoArray(c, c2 + L);
            c30.fma(va, FloatVector.fromArray(S, c, c3)).intoArray(c, c3);
            c31.fma(va, FloatVector.fromArray(S, c, c3 + L)).intoArray(c, c3 + L);
        } else {
            FloatVector vb = FloatVector.broadcast(S, beta);
            c00.mul(va).add(FloatVector.fromArray(S, c, ci).mul(vb)).intoArray(c, ci);
            c01.mul(va).add(FloatVector.fromArray(S, c, ci + L).mul(vb)).intoArray(c, ci + L);
            c10.mul(va).add(FloatVector.fromArray(S, c, c1).mul(vb)).intoArray(c, c1);
            c11.mul(va).add(FloatVector.fromArray(S, c, c1 + L).mul(vb)).intoArray(c, c1 + L);
            c20.mul(va).add(FloatVector.fromArray(S, c, c2).mul(vb)).intoArray(c, c2);
            c21.mul(va).add(FloatVector.fromArray(S, c, c2 + L).mul(vb)).intoArray(c, c2 + L);
            c30.mul(va).add(FloatVector.fromArray(S, c, c3).mul(vb)).intoArray(c, c3);
            c31.mul(va).add(FloatVector.fromArray(S, c, c3 + L).mul(vb)).intoArray(c, c3 + L);
        }
    }

    /** A partial tile ({@code rows <= MR}, {@code cols <= NR}): computed into {@code scratch}, then merged. */
    static void edge(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc,
                     int rows, int cols, float alpha, float beta, float[] scratch) {
        tile(kc, a, ai, b, bi, scratch, 0, NR, 1f, 0f);
        for (int r = 0; r < rows; r++) {
            int row = ci + r * ldc;
            for (int j = 0; j < cols; j++) {
                // The same rounding as store(): alpha * x + c fused when beta is 1, so a row gives the same
                // bits whether it falls in a full tile or an edge (which depends on how rows are split).
                float x = scratch[r * NR + j];
                c[row + j] = beta == 0f ? alpha * x : beta == 1f ? Math.fma(x, alpha, c[row + j])
                        : alpha * x + c[row + j] * beta;
            }
        }
    }
}
