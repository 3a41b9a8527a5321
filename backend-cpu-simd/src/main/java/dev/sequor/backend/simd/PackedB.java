package dev.sequor.backend.simd;

import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

/**
 * The right-hand matrix of a product, {@code op(B)} of shape {@code (k, n)}, repacked once into
 * the micro-kernel's order: for each block of {@link GemmKernel#KC} rows of k, the columns in
 * panels of {@link GemmKernel#NR}, each panel {@code kcb x NR} contiguous (the last one
 * zero-padded). A recurrent layer packs its weight once per sequence and multiplies it at every
 * step, so packing is a separate, reusable step.
 */
final class PackedB {

    final int k;
    final int n;
    final int panels;
    final float[] data;

    private PackedB(int k, int n, float[] data) {
        this.k = k;
        this.n = n;
        this.panels = (n + GemmKernel.NR - 1) / GemmKernel.NR;
        this.data = data;
    }

    /** @return the number of floats a packed {@code (k, n)} matrix occupies */
    static long size(int k, int n) {
        return (long) k * ((n + GemmKernel.NR - 1) / GemmKernel.NR) * GemmKernel.NR;
    }

    /**
     * Packs {@code op(B)}: element (p, j) is {@code b[bo + p*ldb + j]}, or {@code b[bo + j*ldb + p]}
     * when {@code trans}. Reuses {@code reuse} when it is large enough.
     */
    static PackedB pack(float[] b, int bo, int ldb, boolean trans, int k, int n, float[] reuse, WorkerPool pool) {
        long size = size(k, n);
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("gemm: B of " + k + "x" + n + " is too large to pack");
        }
        float[] data = reuse != null && reuse.length >= size ? reuse : new float[(int) size];
        PackedB pb = new PackedB(k, n, data);
        int panels = pb.panels;
        int parts = pool == null || (long) k * n < 1 << 16 ? 1 : Math.min(panels, 4 * pool.size());
        WorkerPool.Task task = part -> {
            int j0 = (int) ((long) panels * part / parts);
            int j1 = (int) ((long) panels * (part + 1) / parts);
            for (int p0 = 0; p0 < k; p0 += GemmKernel.KC) {
                int kcb = Math.min(GemmKernel.KC, k - p0);
                for (int j = j0; j < j1; j++) {
                    packPanel(b, bo, ldb, trans, n, p0, kcb, j, pb.data, pb.panelOffset(p0, kcb, j));
                }
            }
        };
        if (parts == 1) {
            task.run(0);
        } else {
            pool.run(parts, task);
        }
        return pb;
    }

    /** @return where the panel {@code j} of the k block starting at {@code p0} begins */
    int panelOffset(int p0, int kcb, int j) {
        return p0 * panels * GemmKernel.NR + j * kcb * GemmKernel.NR;
    }

    /**
     * Packs one panel: rows {@code [p0, p0+kcb)} and columns {@code [j*NR, j*NR+NR)} of op(B) (of
     * {@code n} columns) into {@code data[dst ..]}, row after row, zero-padding missing columns.
     */
    static void packPanel(float[] b, int bo, int ldb, boolean trans, int n, int p0, int kcb, int j,
                          float[] data, int dst) {
        final int nr = GemmKernel.NR;
        final int lanes = GemmKernel.L;
        int c0 = j * nr;
        int cols = Math.min(nr, n - c0);
        if (!trans) {
            int src = bo + p0 * ldb + c0;
            if (cols == nr) {
                for (int p = 0; p < kcb; p++, src += ldb, dst += nr) {
                    FloatVector.fromArray(GemmKernel.S, b, src).intoArray(data, dst);
                    FloatVector.fromArray(GemmKernel.S, b, src + lanes).intoArray(data, dst + lanes);
                }
            } else {
                for (int p = 0; p < kcb; p++, src += ldb, dst += nr) {
                    System.arraycopy(b, src, data, dst, cols);
                    Arrays.fill(data, dst + cols, dst + nr, 0f);
                }
            }
            return;
        }
        int pDone = 0;
        if (cols == nr && Transpose16.AVAILABLE) {
            // Two 16-column halves, 16 rows of k at a time, transposed in registers.
            int src = bo + c0 * ldb + p0;
            for (; pDone + 16 <= kcb; pDone += 16) {
                Transpose16.transpose(b, src + pDone, ldb, data, dst + pDone * nr, nr);
                Transpose16.transpose(b, src + 16 * ldb + pDone, ldb, data, dst + pDone * nr + 16, nr);
            }
        }
        for (int c = 0; c < nr; c++) {
            if (c < cols) {
                int src = bo + (c0 + c) * ldb + p0;
                for (int p = pDone; p < kcb; p++) {
                    data[dst + p * nr + c] = b[src + p];
                }
            } else {
                for (int p = pDone; p < kcb; p++) {
                    data[dst + p * nr + c] = 0f;
                }
            }
        }
    }
}
