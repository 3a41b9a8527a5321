package dev.sequor.nn.recurrent;

import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;

/**
 * Ridge regression in closed form, the readout training of an {@link EchoStateNetwork}:
 * <pre>
 *   W = argmin ||Phi W - Y||^2 + lambda ||W||^2 = (Phi^T Phi + lambda I)^{-1} Phi^T Y
 * </pre>
 * The Gram matrix and {@code Phi^T Y} are Tensor GEMMs; the small {@code (D, D)} system is solved on
 * the host by Cholesky in double precision.
 */
public final class Ridge {

    private Ridge() {
    }

    /**
     * @param phi    (M, D) features, one row per sample
     * @param y      (M, O) targets
     * @param lambda the ridge parameter, >= 0 (0 needs Phi of full column rank)
     * @return W (D, O)
     * @throws IllegalArgumentException on mismatched shapes, or when the system is not positive definite
     */
    public static Tensor solve(Tensor phi, Tensor y, double lambda) {
        if (phi.rank() != 2 || y.rank() != 2 || phi.size(0) != y.size(0)) {
            throw new IllegalArgumentException("Ridge: features " + Windows.str(phi) + " must be (M, D) and targets "
                    + Windows.str(y) + " (M, O) with the same M");
        }
        int d = phi.size(1);
        int o = y.size(1);
        float[] gram;
        float[] rhs;
        try (Grad g = Grad.disabled()) {
            Tensor pt = phi.transpose(0, 1);                          // (D, M)
            gram = pt.matmul(phi).toFloatArray();                     // (D, D)
            rhs = pt.matmul(y).toFloatArray();                        // (D, O)
        }
        double[] a = new double[d * d];
        for (int i = 0; i < d * d; i++) {
            a[i] = gram[i];
        }
        for (int i = 0; i < d; i++) {
            a[i * d + i] += lambda;
        }
        cholesky(a, d);
        float[] w = new float[d * o];
        double[] col = new double[d];
        for (int j = 0; j < o; j++) {
            for (int i = 0; i < d; i++) {
                col[i] = rhs[i * o + j];
            }
            substitute(a, d, col);
            for (int i = 0; i < d; i++) {
                w[i * o + j] = (float) col[i];
            }
        }
        return Tensor.of(phi.backend(), w, d, o);
    }

    /** In place: the lower triangle of {@code a} becomes L with {@code a = L L^T}. */
    private static void cholesky(double[] a, int n) {
        for (int j = 0; j < n; j++) {
            double s = a[j * n + j];
            for (int k = 0; k < j; k++) {
                s -= a[j * n + k] * a[j * n + k];
            }
            if (!(s > 0)) {
                throw new IllegalArgumentException("Ridge: Phi^T Phi + lambda I is not positive definite at column " + j
                        + " (pivot " + s + "); raise lambda");
            }
            double ljj = Math.sqrt(s);
            a[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double t = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    t -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = t / ljj;
            }
        }
    }

    /** Solves {@code L L^T x = b} in place with the factor from {@link #cholesky}. */
    private static void substitute(double[] l, int n, double[] b) {
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * n + k] * b[k];
            }
            b[i] = s / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * b[k];
            }
            b[i] = s / l[i * n + i];
        }
    }
}
