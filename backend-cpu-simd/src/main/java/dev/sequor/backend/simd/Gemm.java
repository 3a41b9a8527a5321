package dev.sequor.backend.simd;

import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static dev.sequor.backend.simd.GemmKernel.KC;
import static dev.sequor.backend.simd.GemmKernel.MC;
import static dev.sequor.backend.simd.GemmKernel.MR;
import static dev.sequor.backend.simd.GemmKernel.NR;

/**
 * The blocked GEMM driver: {@code C = alpha * op(A) * op(B) + beta * C} on heap arrays. Parts of C
 * run in parallel, split by shape (see {@link #run}); within a part the loops run row block,
 * k block (pack A), B panel (pack it, unless B came packed), A sliver, so the A block stays in L2
 * and the B panel in L1 while {@link GemmKernel#tile} keeps a 4 x 2-vector tile of C in registers.
 * Tiny products skip packing altogether.
 */
final class Gemm {

    /** Below this many multiply-adds a direct loop beats packing. */
    static final long SMALL = 32 * 32 * 32;

    private static final ThreadLocal<float[]> A_SCRATCH = ThreadLocal.withInitial(
            () -> new float[MC * KC + NR * MR]);
    private static final ThreadLocal<float[]> B_PANEL = ThreadLocal.withInitial(() -> new float[KC * NR]);

    private Gemm() {
    }

    /** One matrix product; offsets and leading dimensions in elements. */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha,
                     float[] a, int ao, int lda, float[] b, int bo, int ldb,
                     float beta, float[] c, int co, int ldc, WorkerPool pool) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scaleC(m, n, beta, c, co, ldc);
            return;
        }
        if ((long) m * n * k <= SMALL) {
            small(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
            return;
        }
        run(ta, m, n, k, alpha, a, ao, lda, null, b, bo, ldb, tb, beta, c, co, ldc, pool);
    }

    /** {@code C = alpha * op(A) * B + beta * C} with B already packed ({@code op(A)} is {@code m x pb.k}). */
    static void multiply(boolean ta, int m, float alpha, float[] a, int ao, int lda, PackedB pb,
                         float beta, float[] c, int co, int ldc, WorkerPool pool) {
        if (m == 0 || pb.n == 0) {
            return;
        }
        if (pb.k == 0) {
            scaleC(m, pb.n, beta, c, co, ldc);
            return;
        }
        run(ta, m, pb.n, pb.k, alpha, a, ao, lda, pb, null, 0, 0, false, beta, c, co, ldc, pool);
    }

    /**
     * Splits C into parts and runs them. A short A ({@code m <= MC}) is one row block: parts split
     * the columns, share A packed once, and pack each B panel on the fly into an L1-sized scratch
     * (each panel is then packed exactly once, with no pass over B through memory). A tall A is
     * split by rows and B is packed whole first, in parallel, unless it came packed.
     */
    private static void run(boolean ta, int m, int n, int k, float alpha, float[] a, int ao, int lda,
                            PackedB pb, float[] b, int bo, int ldb, boolean tb,
                            float beta, float[] c, int co, int ldc, WorkerPool pool) {
        int panels = (n + NR - 1) / NR;
        int threads = pool == null ? 1 : pool.size();
        long flops = 2L * m * n * k;
        // Several parts per thread so a core slowed by other processes takes fewer of them, but
        // at least ~2 MFLOP each so the hand-off and per-part packing stay small; below ~1 MFLOP
        // (a few microseconds) a hand-off costs more than it saves.
        int target = threads == 1 || flops < 1L << 20 ? 1
                : (int) Math.min(8L * threads, Math.max(threads, flops >> 21));
        int rowChunk;
        int colChunks;
        float[] sharedA = null;
        if (m <= MC) {
            // Short A: one row block, so every B panel is packed exactly once, on the fly.
            rowChunk = m;
            colChunks = Math.min(panels, target);
            if (colChunks > 1) {
                // Split by columns: pack the short A once for all parts instead of once per part.
                sharedA = packAllOfA(ta, m, k, a, ao, lda);
            }
        } else {
            // Tall A split by rows: pack all of B once, in parallel, and share it.
            if (pb == null) {
                float[][] holder = B_SCRATCH.get();
                pb = PackedB.pack(b, bo, ldb, tb, k, n, holder[0], pool);
                holder[0] = pb.data;
            }
            rowChunk = Math.min(MC, Math.max(8 * MR, roundUp((m + target - 1) / target, MR)));
            colChunks = 1;
        }
        int rowChunks = (m + rowChunk - 1) / rowChunk;
        final int rc = rowChunk;
        final int rcs = rowChunks;
        final int ccs = colChunks;
        final float[] sa = sharedA;
        final PackedB packed = pb;
        WorkerPool.Task task = part -> {
            int ri = part % rcs;
            int cj = part / rcs;
            int i0 = ri * rc;
            int rows = Math.min(rc, m - i0);
            int j0 = (int) ((long) panels * cj / ccs);
            int j1 = (int) ((long) panels * (cj + 1) / ccs);
            block(ta, i0, rows, j0, j1, n, k, alpha, a, ao, lda, sa, packed, b, bo, ldb, tb, beta, c, co, ldc);
        };
        int parts = rowChunks * colChunks;
        if (parts == 1 || threads == 1) {
            for (int p = 0; p < parts; p++) {
                task.run(p);
            }
        } else {
            pool.run(parts, task);
        }
    }

    /**
     * Rows {@code [i0, i0+rows)} (blocked by {@link GemmKernel#MC} here) times B panels {@code [j0, j1)}.
     * {@code sharedA}, when given, holds all of op(A) packed (then {@code rows <= MC} and {@code i0 == 0}).
     */
    private static void block(boolean ta, int i0, int rows, int j0, int j1, int n, int k, float alpha,
                              float[] a, int ao, int lda, float[] sharedA, PackedB pb, float[] b, int bo, int ldb,
                              boolean tb, float beta, float[] c, int co, int ldc) {
        float[] pa = sharedA != null ? sharedA : A_SCRATCH.get();
        float[] panel = pb == null ? B_PANEL.get() : pb.data;
        float[] edge = EDGE.get();
        for (int ib = 0; ib < rows; ib += MC) {
            int mcb = Math.min(MC, rows - ib);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kcb = Math.min(KC, k - p0);
                float bt = p0 == 0 ? beta : 1f;
                int aBase = 0;
                if (sharedA == null) {
                    GemmKernel.packA(a, ao, lda, ta, i0 + ib, mcb, p0, kcb, pa, 0);
                } else {
                    aBase = p0 * roundUp(rows, MR);
                }
                for (int j = j0; j < j1; j++) {
                    int bi = 0;
                    if (pb == null) {
                        PackedB.packPanel(b, bo, ldb, tb, n, p0, kcb, j, panel, 0);
                    } else {
                        bi = pb.panelOffset(p0, kcb, j);
                    }
                    int col = j * NR;
                    int cols = Math.min(NR, n - col);
                    for (int s = 0; s * MR < mcb; s++) {
                        int r = i0 + ib + s * MR;
                        int ci = co + r * ldc + col;
                        int rn = Math.min(MR, mcb - s * MR);
                        int ai = aBase + s * kcb * MR;
                        if (rn == MR && cols == NR) {
                            GemmKernel.tile(kcb, pa, ai, panel, bi, c, ci, ldc, alpha, bt);
                        } else {
                            GemmKernel.edge(kcb, pa, ai, panel, bi, c, ci, ldc, rn, cols, alpha, bt, edge);
                        }
                    }
                }
            }
        }
    }

    /** Packs all of a short op(A) ({@code m <= MC}): k block {@code p0} at {@code p0 * roundUp(m, MR)}. */
    private static float[] packAllOfA(boolean ta, int m, int k, float[] a, int ao, int lda) {
        int mPad = roundUp(m, MR);
        float[] shared = SHARED_A.get();
        if (shared.length < mPad * k) {
            shared = new float[mPad * k];
            SHARED_A.set(shared);
        }
        for (int p0 = 0; p0 < k; p0 += KC) {
            GemmKernel.packA(a, ao, lda, ta, 0, m, p0, Math.min(KC, k - p0), shared, p0 * mPad);
        }
        return shared;
    }

    private static final ThreadLocal<float[][]> B_SCRATCH = ThreadLocal.withInitial(() -> new float[1][]);
    private static final ThreadLocal<float[]> SHARED_A = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> EDGE = ThreadLocal.withInitial(() -> new float[MR * NR]);

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    static void scaleC(int m, int n, float beta, float[] c, int co, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = co + i * ldc;
            for (int j = 0; j < n; j++) {
                c[row + j] = beta == 0f ? 0f : beta * c[row + j];
            }
        }
    }

    /**
     * Direct loops for products too small to repay packing. Each element is summed in the same order
     * and merged into C with the same rounding as the blocked kernel (k in blocks of
     * {@link GemmKernel#KC}, one fused multiply-add per depth step from 0, then {@code alpha * acc}
     * merged as {@link GemmKernel#tile} stores it), so a row gives the same bits whichever path the
     * shape of its call chose.
     */
    static void small(boolean ta, boolean tb, int m, int n, int k, float alpha,
                      float[] a, int ao, int lda, float[] b, int bo, int ldb,
                      float beta, float[] c, int co, int ldc) {
        if (tb) {
            // op(B) row-major (k x n) into scratch, so the vector loop below runs along n.
            float[] bt = SMALL_B.get();
            if (bt.length < k * n) {
                bt = new float[k * n];
                SMALL_B.set(bt);
            }
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    bt[p * n + j] = b[bo + j * ldb + p];
                }
            }
            b = bt;
            bo = 0;
            ldb = n;
        }
        float[] acc = new float[n];
        int bound = GemmKernel.S.loopBound(n);
        for (int i = 0; i < m; i++) {
            int row = co + i * ldc;
            for (int p0 = 0; p0 < k; p0 += KC) {
                int p1 = Math.min(k, p0 + KC);
                Arrays.fill(acc, 0f);
                for (int p = p0; p < p1; p++) {
                    float s = ta ? a[ao + p * lda + i] : a[ao + i * lda + p];
                    int brow = bo + p * ldb;
                    int j = 0;
                    FloatVector vs = FloatVector.broadcast(GemmKernel.S, s);
                    for (; j < bound; j += GemmKernel.L) {
                        vs.fma(FloatVector.fromArray(GemmKernel.S, b, brow + j),
                                FloatVector.fromArray(GemmKernel.S, acc, j)).intoArray(acc, j);
                    }
                    for (; j < n; j++) {
                        acc[j] = Math.fma(s, b[brow + j], acc[j]);
                    }
                }
                float bt = p0 == 0 ? beta : 1f;
                for (int j = 0; j < n; j++) {
                    float x = acc[j];
                    c[row + j] = bt == 0f ? alpha * x : bt == 1f ? Math.fma(x, alpha, c[row + j])
                            : alpha * x + c[row + j] * bt;
                }
            }
        }
    }

    private static final ThreadLocal<float[]> SMALL_B = ThreadLocal.withInitial(() -> new float[0]);
}
