package dev.sequor.reference;

import dev.sequor.spi.MatrixView;

/**
 * The batched strided matrix product, one dot product at a time in double:
 * {@code C_b[r][c] = alpha * sum_p op(A_b)[r][p] * op(B_b)[p][c] + beta * C_b[r][c]}, rounded once.
 */
final class Gemm {

    private static final String OP = "gemm";

    private Gemm() {
    }

    static void run(ReferenceBackend owner, boolean transA, boolean transB, int batch, int m, int n, int k,
                    float alpha, MatrixView a, MatrixView b, float beta, MatrixView c) {
        if (batch < 0 || m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(OP + ": negative size in (batch, m, n, k) = ("
                    + batch + ", " + m + ", " + n + ", " + k + ")");
        }
        if (a == null || b == null || c == null) {
            throw new IllegalArgumentException(OP + ": a, b and c views must not be null");
        }
        // Stored shapes: op(A) is (m, k), so A is stored (k, m) when transposed; likewise B.
        float[] ad = view(owner, "A", a, batch, transA ? k : m, transA ? m : k);
        float[] bd = view(owner, "B", b, batch, transB ? n : k, transB ? k : n);
        float[] cd = view(owner, "C", c, batch, m, n);
        if (batch > 1 && c.batchStride() == 0 && m > 0 && n > 0) {
            throw new IllegalArgumentException(OP + ": C has batchStride 0 with batch " + batch
                    + ", so several products would write one matrix");
        }
        for (int bi = 0; bi < batch; bi++) {
            long a0 = a.offset() + bi * a.batchStride();
            long b0 = b.offset() + bi * b.batchStride();
            long c0 = c.offset() + bi * c.batchStride();
            for (int r = 0; r < m; r++) {
                for (int col = 0; col < n; col++) {
                    double dot = 0.0;
                    for (int p = 0; p < k; p++) {
                        double av = transA ? ad[(int) (a0 + (long) p * a.ld() + r)]
                                : ad[(int) (a0 + (long) r * a.ld() + p)];
                        double bv = transB ? bd[(int) (b0 + (long) col * b.ld() + p)]
                                : bd[(int) (b0 + (long) p * b.ld() + col)];
                        dot += av * bv;
                    }
                    int ci = (int) (c0 + (long) r * c.ld() + col);
                    // beta == 0 must not read C: NaN there must not leak into the result.
                    double prior = beta == 0f ? 0.0 : (double) beta * cd[ci];
                    cd[ci] = (float) (alpha * dot + prior);
                }
            }
        }
    }

    /** Checks a view of {@code batch} stored {@code (rows, cols)} matrices and returns its storage. */
    private static float[] view(ReferenceBackend owner, String role, MatrixView v, int batch, int rows, int cols) {
        float[] d = Checks.data(owner, OP, role, v.buffer());
        if (batch == 0 || rows == 0 || cols == 0) {
            return d;
        }
        if (rows > 1 && v.ld() < cols) {
            throw new IllegalArgumentException(OP + ": " + role + " has ld " + v.ld()
                    + " shorter than its rows of " + cols + " (stored " + rows + "x" + cols + ")");
        }
        long last = v.offset() + (batch - 1L) * v.batchStride() + (rows - 1L) * v.ld() + cols - 1;
        if (last >= d.length) {
            throw new IllegalArgumentException(OP + ": " + role + " (batch " + batch + " of stored " + rows + "x" + cols
                    + ", offset " + v.offset() + ", ld " + v.ld() + ", batchStride " + v.batchStride()
                    + ") reaches element " + last + " of a buffer of length " + d.length);
        }
        return d;
    }
}
