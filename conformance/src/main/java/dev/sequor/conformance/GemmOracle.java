package dev.sequor.conformance;

/**
 * The double-precision batched strided GEMM of {@code Backend.gemm}:
 * {@code C_b = alpha * op(A_b) op(B_b) + beta * C_b}, with {@code C} untouched where beta is 0.
 * Operates on whole host copies of the three buffers so tests also see elements outside the views.
 */
public final class GemmOracle {

    private GemmOracle() {
    }

    /**
     * One side of a product as stored on the host: matrix {@code b} of the batch starts at
     * {@code offset + b * batchStride}, element (r, c) at {@code + r * ld + c}.
     *
     * @param data        the whole buffer
     * @param offset      first element
     * @param ld          distance between rows
     * @param batchStride distance between matrices
     */
    public record Host(float[] data, long offset, int ld, long batchStride) {

        double at(int batch, int row, int col) {
            return data[(int) (offset + batch * batchStride + (long) row * ld + col)];
        }
    }

    /**
     * @param c the C buffer before the call
     * @return the whole C buffer after the call, in double: elements outside the view keep their value
     */
    public static double[] gemm(boolean transA, boolean transB, int batch, int m, int n, int k,
                                double alpha, Host a, Host b, double beta, Host c) {
        double[] out = Oracle.widen(c.data());
        for (int bi = 0; bi < batch; bi++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double dot = 0;
                    for (int p = 0; p < k; p++) {
                        double x = transA ? a.at(bi, p, i) : a.at(bi, i, p);
                        double y = transB ? b.at(bi, j, p) : b.at(bi, p, j);
                        dot += x * y;
                    }
                    int at = (int) (c.offset() + bi * c.batchStride() + (long) i * c.ld() + j);
                    out[at] = alpha * dot + (beta == 0 ? 0 : beta * c.data()[at]);
                }
            }
        }
        return out;
    }
}
