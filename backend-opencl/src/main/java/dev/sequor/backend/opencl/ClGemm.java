package dev.sequor.backend.opencl;

import dev.sequor.spi.MatrixView;
import org.jocl.cl_mem;


/**
 * Batched strided GEMM on the device, with the kernel chosen by the runtime's kernel family: for
 * CPU devices (PoCL) A and B are packed into zero-padded panels and a register-blocked 8x32 kernel
 * (16 {@code float16} accumulators) runs with work-group size 1; for GPUs a local-memory tiled
 * kernel reads the views directly.
 */
final class ClGemm implements AutoCloseable {

    private static final String OP = "gemm";
    private static final int MR = 8;
    private static final int NR = 32;
    private static final int TS = 32;
    private static final int WPT = 8;

    private final ClRuntime rt;
    private final boolean packed;
    // Packing scratch, grown on demand and reused: the in-order queue orders its reuse.
    private cl_mem aPack;
    private long aPackBytes;
    private cl_mem bPack;
    private long bPackBytes;

    ClGemm(ClRuntime rt) {
        this.rt = rt;
        this.packed = !rt.gpuKernels;
    }

    /** @return a short description of the kernel in use */
    String kernelName() {
        return packed ? "packed float16 " + MR + "x" + NR + " (work-group 1)" : "local-memory tiled " + TS + "x" + TS;
    }

    void run(OpenClBackend owner, boolean transA, boolean transB, int batch, int m, int n, int k,
             float alpha, MatrixView a, MatrixView b, float beta, MatrixView c) {
        if (batch < 0 || m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(OP + ": negative size in (batch, m, n, k) = ("
                    + batch + ", " + m + ", " + n + ", " + k + ")");
        }
        if (a == null || b == null || c == null) {
            throw new IllegalArgumentException(OP + ": a, b and c views must not be null");
        }
        cl_mem am = view(owner, "A", a, batch, transA ? k : m, transA ? m : k);
        cl_mem bm = view(owner, "B", b, batch, transB ? n : k, transB ? k : n);
        cl_mem cm = view(owner, "C", c, batch, m, n);
        if (batch > 1 && c.batchStride() == 0 && m > 0 && n > 0) {
            throw new IllegalArgumentException(OP + ": C has batchStride 0 with batch " + batch
                    + ", so several products would write one matrix");
        }
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        synchronized (rt) {
            if (k == 0) {
                rt.launch("gemm_scale", new long[]{n, m, batch}, null,
                        cm, c.offset(), c.ld(), c.batchStride(), m, n, beta);
            } else if (packed) {
                runPacked(transA, transB, batch, m, n, k, alpha, a, am, b, bm, beta, c, cm);
            } else {
                runTiled(transA, transB, batch, m, n, k, alpha, a, am, b, bm, beta, c, cm);
            }
        }
    }

    private void runPacked(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                           MatrixView a, cl_mem am, MatrixView b, cl_mem bm, float beta, MatrixView c, cl_mem cm) {
        int mp = (m + MR - 1) / MR;
        int np = (n + NR - 1) / NR;
        // A shared weight (batchStride 0) is packed once and read by every product of the batch.
        int aCount = a.batchStride() == 0 ? 1 : batch;
        int bCount = b.batchStride() == 0 ? 1 : batch;
        long apBatch = aCount == 1 ? 0 : (long) mp * MR * k;
        long bpBatch = bCount == 1 ? 0 : (long) np * NR * k;
        cl_mem ap = aScratch((long) aCount * mp * MR * k * 4);
        cl_mem bp = bScratch((long) bCount * np * NR * k * 4);
        long[] one = {1, 1};
        rt.launch("pack_a", new long[]{mp, aCount}, one,
                am, a.offset(), a.ld(), a.batchStride(), transA ? 1 : 0, m, k, ap, apBatch);
        rt.launch("pack_b", new long[]{np, bCount}, one,
                bm, b.offset(), b.ld(), b.batchStride(), transB ? 1 : 0, n, k, bp, bpBatch);
        rt.launch("gemm_packed", new long[]{mp, np, batch}, new long[]{1, 1, 1},
                ap, apBatch, bp, bpBatch, cm, c.offset(), c.ld(), c.batchStride(), m, n, k, alpha, beta);
    }

    private void runTiled(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                          MatrixView a, cl_mem am, MatrixView b, cl_mem bm, float beta, MatrixView c, cl_mem cm) {
        // op(A)[r][kk] = a[r * sar + kk * sak]: a transpose is a swap of the two strides.
        long sar = transA ? 1 : a.ld();
        long sak = transA ? a.ld() : 1;
        long sbk = transB ? 1 : b.ld();
        long sbc = transB ? b.ld() : 1;
        rt.launch("gemm_tiled", new long[]{roundUp(n, TS), roundUp(m, TS) / WPT, batch}, new long[]{TS, TS / WPT, 1},
                am, a.offset(), sar, sak, a.batchStride(), bm, b.offset(), sbk, sbc, b.batchStride(),
                cm, c.offset(), c.ld(), c.batchStride(), m, n, k, alpha, beta);
    }

    /**
     * A B operand prepared once for many products with different A (a recurrent weight over the
     * steps of a sequence): packed panels on CPU devices, the plain view on GPUs. Close it after.
     */
    final class PreparedB implements AutoCloseable {
        private final boolean transB;
        private final int n;
        private final int k;
        private final MatrixView view;
        private final cl_mem viewMem;
        private cl_mem panels;
        private long panelBytes;

        private PreparedB(boolean transB, int n, int k, MatrixView view, cl_mem viewMem) {
            this.transB = transB;
            this.n = n;
            this.k = k;
            this.view = view;
            this.viewMem = viewMem;
            if (packed && k > 0) {
                int np = (n + NR - 1) / NR;
                panelBytes = (long) np * NR * k * 4;
                panels = rt.allocate(panelBytes);
                rt.launch("pack_b", new long[]{np, 1}, new long[]{1, 1}, viewMem, view.offset(), view.ld(), 0L,
                        transB ? 1 : 0, n, k, panels, 0L);
            }
        }

        /** {@code C = alpha * A * op(B) + beta * C} for one untransposed A of {@code m} rows. */
        void multiply(int m, float alpha, MatrixView a, cl_mem am, float beta, MatrixView c, cl_mem cm) {
            if (m == 0 || n == 0) {
                return;
            }
            if (k == 0) {
                rt.launch("gemm_scale", new long[]{n, m, 1}, null, cm, c.offset(), c.ld(), 0L, m, n, beta);
            } else if (panels != null) {
                int mp = (m + MR - 1) / MR;
                cl_mem ap = aScratch((long) mp * MR * k * 4);
                rt.launch("pack_a", new long[]{mp, 1}, new long[]{1, 1}, am, a.offset(), a.ld(), 0L, 0, m, k, ap, 0L);
                rt.launch("gemm_packed", new long[]{mp, (n + NR - 1) / NR, 1}, new long[]{1, 1, 1},
                        ap, 0L, panels, 0L, cm, c.offset(), c.ld(), 0L, m, n, k, alpha, beta);
            } else {
                runTiled(false, transB, 1, m, n, k, alpha, a, am, view, viewMem, beta, c, cm);
            }
        }

        @Override
        public void close() {
            if (panels != null) {
                rt.release(panels, panelBytes);
                panels = null;
            }
        }
    }

    /** Prepares {@code op(B)} of shape {@code (k, n)} for repeated products; the caller holds the runtime's lock. */
    PreparedB prepare(OpenClBackend owner, boolean transB, int n, int k, MatrixView b) {
        cl_mem bm = view(owner, "B", b, 1, transB ? n : k, transB ? k : n);
        return new PreparedB(transB, n, k, b, bm);
    }

    private cl_mem aScratch(long bytes) {
        if (bytes > aPackBytes) {
            if (aPack != null) {
                rt.release(aPack, aPackBytes);
            }
            aPack = rt.allocate(bytes);
            aPackBytes = bytes;
        }
        return aPack;
    }

    private cl_mem bScratch(long bytes) {
        if (bytes > bPackBytes) {
            if (bPack != null) {
                rt.release(bPack, bPackBytes);
            }
            bPack = rt.allocate(bytes);
            bPackBytes = bytes;
        }
        return bPack;
    }

    private static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }

    /** Checks a view's ownership and that its last element of the last matrix is inside the buffer. */
    private static cl_mem view(OpenClBackend owner, String role, MatrixView v, int batch, int rows, int cols) {
        cl_mem mem = Checks.mem(owner, OP, role, v.buffer());
        if (batch == 0 || rows == 0 || cols == 0) {
            return mem;
        }
        long last = v.offset() + (batch - 1L) * v.batchStride() + (rows - 1L) * v.ld() + cols - 1;
        if (last >= v.buffer().length()) {
            throw new IllegalArgumentException(OP + ": view " + role + " (" + rows + "x" + cols + ", ld " + v.ld()
                    + ", offset " + v.offset() + ", batchStride " + v.batchStride() + ", batch " + batch
                    + ") reaches element " + last + " of a buffer of length " + v.buffer().length());
        }
        return mem;
    }

    @Override
    public void close() {
        synchronized (rt) {
            if (aPack != null) {
                rt.release(aPack, aPackBytes);
                aPack = null;
                aPackBytes = 0;
            }
            if (bPack != null) {
                rt.release(bPack, bPackBytes);
                bPack = null;
                bPackBytes = 0;
            }
        }
    }
}
