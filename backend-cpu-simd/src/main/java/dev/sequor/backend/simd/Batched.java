package dev.sequor.backend.simd;

import dev.sequor.spi.MatrixView;

/**
 * Batches of matrix products. Many small products (attention heads) run one per thread; large
 * ones run one after another, each parallel inside. A B shared across the batch
 * ({@code batchStride == 0}) is packed once.
 */
final class Batched {

    /**
     * Below this many multiply-adds per product, a batch is split across threads by product (when
     * the whole batch is at least ~1 MFLOP; below that a hand-off costs more than it saves).
     */
    static final long PER_THREAD = 1L << 20;

    private Batched() {
    }

    static void gemm(boolean ta, boolean tb, int batch, int m, int n, int k, float alpha,
                     float[] a, MatrixView av, float[] b, MatrixView bv, float beta, float[] c, MatrixView cv,
                     WorkerPool pool) {
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        long work = (long) m * n * k;
        if (batch > 1 && pool.size() > 1 && work < PER_THREAD && 2 * work * batch >= 1L << 20) {
            pool.run(batch, i -> one(ta, tb, i, m, n, k, alpha, a, av, b, bv, beta, c, cv, null));
            return;
        }
        if (batch > 1 && bv.batchStride() == 0 && k > 0 && work > Gemm.SMALL) {
            PackedB pb = PackedB.pack(b, (int) bv.offset(), bv.ld(), tb, k, n, null, pool);
            for (int i = 0; i < batch; i++) {
                Gemm.multiply(ta, m, alpha, a, (int) (av.offset() + i * av.batchStride()), av.ld(), pb,
                        beta, c, (int) (cv.offset() + i * cv.batchStride()), cv.ld(), pool);
            }
            return;
        }
        for (int i = 0; i < batch; i++) {
            one(ta, tb, i, m, n, k, alpha, a, av, b, bv, beta, c, cv, pool);
        }
    }

    private static void one(boolean ta, boolean tb, int i, int m, int n, int k, float alpha,
                            float[] a, MatrixView av, float[] b, MatrixView bv, float beta, float[] c, MatrixView cv,
                            WorkerPool pool) {
        Gemm.gemm(ta, tb, m, n, k, alpha, a, (int) (av.offset() + i * av.batchStride()), av.ld(),
                b, (int) (bv.offset() + i * bv.batchStride()), bv.ld(),
                beta, c, (int) (cv.offset() + i * cv.batchStride()), cv.ld(), pool);
    }
}
