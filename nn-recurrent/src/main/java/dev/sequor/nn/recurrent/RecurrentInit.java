package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import java.util.Random;

/**
 * Initialisers of recurrent weights. Every weight and bias starts as in PyTorch, uniform in
 * {@code [-1/sqrt(H), 1/sqrt(H))}; this choice then replaces each {@code (H, in)} gate block of the
 * recurrent weight {@code W_hh}.
 *
 * <p>(Written here rather than taken from core's {@code dev.sequor.nn.Init}, which was not in main
 * when this module was written.)
 */
public enum RecurrentInit {
    /** PyTorch's default: {@code W_hh ~ U(-1/sqrt(H), 1/sqrt(H))}. */
    UNIFORM,
    /** Each gate block of {@code W_hh} an orthogonal matrix (Saxe et al. 2014), from the QR of a Gaussian. */
    ORTHOGONAL,
    /** Each gate block of {@code W_hh} the identity (IRNN, Le et al. 2015; use with ReLU RNNs). */
    IDENTITY;

    /**
     * @return a {@code (gates * rows, cols)} recurrent weight under this scheme
     */
    Tensor recurrentWeight(Backend be, int gates, int rows, int cols, float bound, long seed) {
        if (this == UNIFORM) {
            return Tensor.uniform(be, -bound, bound, seed, gates * rows, cols);
        }
        float[] w = new float[gates * rows * cols];
        for (int g = 0; g < gates; g++) {
            float[] block = this == IDENTITY ? identity(rows, cols) : orthogonal(rows, cols, seed + 7919L * g);
            System.arraycopy(block, 0, w, g * rows * cols, rows * cols);
        }
        return Tensor.of(be, w, gates * rows, cols);
    }

    /** @return the {@code (rows, cols)} matrix with ones on the main diagonal */
    public static float[] identity(int rows, int cols) {
        float[] w = new float[rows * cols];
        for (int i = 0; i < Math.min(rows, cols); i++) {
            w[i * cols + i] = 1f;
        }
        return w;
    }

    /**
     * @return a {@code (rows, cols)} matrix with orthonormal rows (rows <= cols) or columns
     *         (rows > cols): modified Gram-Schmidt in double precision over Gaussian draws, with the
     *         sign convention of QR (so the result is uniformly distributed, as torch.nn.init.orthogonal_)
     */
    public static float[] orthogonal(int rows, int cols, long seed) {
        boolean tall = rows > cols;
        int n = tall ? cols : rows;      // vectors to orthonormalise
        int len = tall ? rows : cols;    // their length
        Random rnd = new Random(seed);
        double[][] v = new double[n][len];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < len; j++) {
                v[i][j] = rnd.nextGaussian();
            }
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < len; j++) {
                    dot += v[i][j] * v[k][j];
                }
                for (int j = 0; j < len; j++) {
                    v[i][j] -= dot * v[k][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < len; j++) {
                norm += v[i][j] * v[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < len; j++) {
                v[i][j] /= norm;
            }
        }
        float[] w = new float[rows * cols];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < len; j++) {
                w[tall ? j * cols + i : i * cols + j] = (float) v[i][j];
            }
        }
        return w;
    }
}
