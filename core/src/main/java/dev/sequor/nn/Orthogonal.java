package dev.sequor.nn;

import java.util.Arrays;

/**
 * The host-side maths of {@link Init#orthogonal}: a thin QR decomposition by modified Gram-Schmidt
 * in double, repeated once ("twice is enough", Giraud et al., 2005) so Q is orthonormal to rounding.
 * Gram-Schmidt gives R a positive diagonal, which is exactly PyTorch's sign correction
 * {@code Q * sign(diag R)} of a Householder QR: the thin QR with positive diagonal is unique.
 */
final class Orthogonal {

    private Orthogonal() {
    }

    /** @return {@code gain * Q} shaped {@code shape} (rank >= 2) as row-major floats */
    static float[] matrix(int[] shape, double gain, long seed) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("orthogonal: needs at least 2 dimensions, got shape "
                    + Arrays.toString(shape));
        }
        int rows = shape[0];
        int cols = 1;
        for (int i = 1; i < shape.length; i++) {
            cols *= shape[i];
        }
        double[] a = Init.normals(seed, rows * cols); // (rows, cols), row-major
        boolean wide = rows < cols;
        int m = wide ? cols : rows;                     // the tall matrix is (m, n), m >= n
        int n = wide ? rows : cols;
        double[][] colsOfTall = new double[n][m];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = a[r * cols + c];
                if (wide) {
                    colsOfTall[r][c] = v;             // tall = a^T: column r of a^T is row r of a
                } else {
                    colsOfTall[c][r] = v;
                }
            }
        }
        orthonormalize(colsOfTall);
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double q = wide ? colsOfTall[r][c] : colsOfTall[c][r];
                out[r * cols + c] = (float) (gain * q);
            }
        }
        return out;
    }

    /** Replaces the columns {@code q[j]} (each of length m) by Q of the thin QR with diag(R) > 0. */
    private static void orthonormalize(double[][] q) {
        for (int j = 0; j < q.length; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = dot(q[k], q[j]);
                    for (int i = 0; i < q[j].length; i++) {
                        q[j][i] -= dot * q[k][i];
                    }
                }
            }
            double norm = Math.sqrt(dot(q[j], q[j]));
            if (norm == 0) {
                throw new ArithmeticException("orthogonal: rank-deficient draw at column " + j);
            }
            for (int i = 0; i < q[j].length; i++) {
                q[j][i] /= norm;
            }
        }
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
