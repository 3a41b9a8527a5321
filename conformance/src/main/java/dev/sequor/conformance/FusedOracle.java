package dev.sequor.conformance;

/**
 * The fused kernels' meaning in double precision, written from their Javadoc in
 * {@link dev.sequor.spi.Backend} and independently of any backend or of core's defaults
 * for them: softmax cross-entropy and layer normalization.
 */
public final class FusedOracle {

    private FusedOracle() {
    }

    /** @return {@code {loss (rows), logProbs (rows, classes)}} of {@code crossEntropyForward} */
    public static double[][] crossEntropy(float[] x, float[] t, int rows, int classes, int ignoreIndex, double eps) {
        double[] loss = new double[rows];
        double[] logProbs = new double[rows * classes];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, x[r * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(x[r * classes + c] - max);
            }
            double lse = max + Math.log(sum);
            double all = 0;
            for (int c = 0; c < classes; c++) {
                logProbs[r * classes + c] = x[r * classes + c] - lse;
                all += logProbs[r * classes + c];
            }
            if (t[r] != ignoreIndex) {
                loss[r] = -(1 - eps) * logProbs[r * classes + (int) t[r]] - eps / classes * all;
            }
        }
        return new double[][] {loss, logProbs};
    }

    /** @return {@code gradLogits (rows, classes)} of {@code crossEntropyBackward} */
    public static double[] crossEntropyBackward(float[] logProbs, float[] t, float[] gradLoss, int rows, int classes,
                                                int ignoreIndex, double eps) {
        double[] gx = new double[rows * classes];
        for (int r = 0; r < rows; r++) {
            boolean ignored = t[r] == ignoreIndex;
            for (int c = 0; c < classes; c++) {
                double target = !ignored && c == (int) t[r] ? 1 - eps : 0;
                double g = ignored ? 0 : gradLoss[r];
                gx[r * classes + c] = g * (Math.exp(logProbs[r * classes + c]) - target - eps / classes);
            }
        }
        return gx;
    }

    /** @return {@code {y (rows, cols), mean (rows), rstd (rows)}} of {@code layerNormForward}; gamma, beta may be null */
    public static double[][] layerNorm(float[] x, float[] gamma, float[] beta, int rows, int cols, double eps) {
        double[] y = new double[rows * cols];
        double[] mean = new double[rows];
        double[] rstd = new double[rows];
        for (int r = 0; r < rows; r++) {
            double m = 0;
            for (int j = 0; j < cols; j++) {
                m += x[r * cols + j];
            }
            m /= cols;
            double v = 0;
            for (int j = 0; j < cols; j++) {
                v += (x[r * cols + j] - m) * (x[r * cols + j] - m);
            }
            v /= cols;
            mean[r] = m;
            rstd[r] = 1 / Math.sqrt(v + eps);
            for (int j = 0; j < cols; j++) {
                double xhat = (x[r * cols + j] - m) * rstd[r];
                y[r * cols + j] = xhat * (gamma == null ? 1 : gamma[j]) + (beta == null ? 0 : beta[j]);
            }
        }
        return new double[][] {y, mean, rstd};
    }

    /**
     * @return {@code {gx (rows, cols), gGamma (cols), gBeta (cols)}} of {@code layerNormBackward},
     *         from the saved {@code mean} and {@code rstd} as given
     */
    public static double[][] layerNormBackward(float[] gy, float[] x, float[] mean, float[] rstd, float[] gamma,
                                               int rows, int cols) {
        double[] gx = new double[rows * cols];
        double[] gGamma = new double[cols];
        double[] gBeta = new double[cols];
        for (int r = 0; r < rows; r++) {
            double[] xhat = new double[cols];
            double[] g = new double[cols];
            double meanG = 0;
            double meanGx = 0;
            for (int j = 0; j < cols; j++) {
                xhat[j] = ((double) x[r * cols + j] - mean[r]) * rstd[r];
                g[j] = (double) gy[r * cols + j] * (gamma == null ? 1 : gamma[j]);
                meanG += g[j];
                meanGx += g[j] * xhat[j];
                gGamma[j] += gy[r * cols + j] * xhat[j];
                gBeta[j] += gy[r * cols + j];
            }
            meanG /= cols;
            meanGx /= cols;
            for (int j = 0; j < cols; j++) {
                gx[r * cols + j] = rstd[r] * (g[j] - meanG - xhat[j] * meanGx);
            }
        }
        return new double[][] {gx, gGamma, gBeta};
    }
}
