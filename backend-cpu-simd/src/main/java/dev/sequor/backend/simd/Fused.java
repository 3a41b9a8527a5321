package dev.sequor.backend.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row kernels for the fused tier: layer normalization and softmax cross-entropy, forward and
 * backward, one pass per row instead of the default's chain of primitives (8 to 12 sweeps over
 * the tensor plus temporaries). Statistics accumulate in double; the per-element pass runs in
 * float vectors. The maths is the Javadoc of the matching {@link dev.sequor.spi.Backend} methods.
 */
final class Fused {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> D = Reduce.D;
    static final int L = S.length();

    private Fused() {
    }

    /** Layer norm of row {@code r}; {@code gamma}/{@code beta} may be null. */
    static void layerNormRow(float[] x, float[] gamma, float[] beta, int r, int cols, float eps,
                             float[] y, float[] mean, float[] rstd) {
        int p = r * cols;
        double mu = Reduce.sum(x, p, cols) / cols;
        float muf = (float) mu;
        // Two passes (sum of squared deviations), so a row with a large mean keeps its precision.
        double ss = 0;
        int i = 0;
        int bound = S.loopBound(cols);
        if (bound > 0) {
            DoubleVector a0 = DoubleVector.zero(D);
            DoubleVector a1 = DoubleVector.zero(D);
            DoubleVector vmu = DoubleVector.broadcast(D, mu);
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, p + i);
                DoubleVector d0 = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0)).sub(vmu);
                DoubleVector d1 = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1)).sub(vmu);
                a0 = d0.fma(d0, a0);
                a1 = d1.fma(d1, a1);
            }
            ss = VMath.sum(a0.add(a1));
        }
        for (; i < cols; i++) {
            double d = x[p + i] - mu;
            ss += d * d;
        }
        double rs = 1.0 / Math.sqrt(ss / cols + eps);
        mean[r] = muf;
        rstd[r] = (float) rs;
        float rsf = (float) rs;
        FloatVector vm = FloatVector.broadcast(S, muf);
        i = 0;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, p + i).sub(vm).mul(rsf);
            if (gamma != null) {
                v = v.mul(FloatVector.fromArray(S, gamma, i));
            }
            if (beta != null) {
                v = v.add(FloatVector.fromArray(S, beta, i));
            }
            v.intoArray(y, p + i);
        }
        for (; i < cols; i++) {
            float v = (x[p + i] - muf) * rsf;
            if (gamma != null) {
                v *= gamma[i];
            }
            if (beta != null) {
                v += beta[i];
            }
            y[p + i] = v;
        }
    }

    /** The input gradient of row {@code r}: {@code rstd (g - mean g - xhat mean(g xhat))}, {@code g = gy gamma}. */
    static void layerNormGradRow(float[] gy, float[] x, float[] mean, float[] rstd, float[] gamma, int r, int cols,
                                 float[] gx) {
        int p = r * cols;
        float mu = mean[r];
        float rs = rstd[r];
        double sg = 0;
        double sgx = 0;
        for (int i = 0; i < cols; i++) {
            double g = gamma == null ? gy[p + i] : (double) gy[p + i] * gamma[i];
            double xh = (double) (x[p + i] - mu) * rs;
            sg += g;
            sgx += g * xh;
        }
        float mg = (float) (sg / cols);
        float mgx = (float) (sgx / cols);
        int i = 0;
        int bound = S.loopBound(cols);
        FloatVector vmu = FloatVector.broadcast(S, mu);
        FloatVector vmg = FloatVector.broadcast(S, mg);
        FloatVector vmgx = FloatVector.broadcast(S, mgx);
        for (; i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(S, gy, p + i);
            if (gamma != null) {
                g = g.mul(FloatVector.fromArray(S, gamma, i));
            }
            FloatVector xh = FloatVector.fromArray(S, x, p + i).sub(vmu).mul(rs);
            xh.neg().fma(vmgx, g.sub(vmg)).mul(rs).intoArray(gx, p + i);
        }
        for (; i < cols; i++) {
            float g = gamma == null ? gy[p + i] : gy[p + i] * gamma[i];
            float xh = (x[p + i] - mu) * rs;
            gx[p + i] = (g - mg - xh * mgx) * rs;
        }
    }

    /** Column sums over all rows for columns {@code [j0, j1)}: {@code gGamma = sum gy xhat}, {@code gBeta = sum gy}. */
    static void layerNormParamGrads(float[] gy, float[] x, float[] mean, float[] rstd, int rows, int cols,
                                    int j0, int j1, float[] gGamma, float[] gBeta) {
        double[] accG = new double[j1 - j0];
        double[] accB = new double[j1 - j0];
        for (int r = 0; r < rows; r++) {
            int p = r * cols;
            float mu = mean[r];
            float rs = rstd[r];
            for (int j = j0; j < j1; j++) {
                float g = gy[p + j];
                accG[j - j0] += (double) g * ((x[p + j] - mu) * rs);
                accB[j - j0] += g;
            }
        }
        for (int j = j0; j < j1; j++) {
            if (gGamma != null) {
                gGamma[j] = (float) accG[j - j0];
            }
            if (gBeta != null) {
                gBeta[j] = (float) accB[j - j0];
            }
        }
    }

    /** Cross-entropy of row {@code r}: log-probabilities, then the (smoothed) loss unless ignored. */
    static void crossEntropyRow(float[] logits, float[] targets, int r, int classes, int ignoreIndex, float eps,
                                float[] loss, float[] logProbs) {
        int p = r * classes;
        Softmax.forward(logits, p, classes, 1, true, logProbs, p);
        float t = targets[r];
        if (t == (float) ignoreIndex) {
            loss[r] = 0f;
            return;
        }
        int c = Indexing.index(t, classes, "crossEntropyForward", r);
        double picked = logProbs[p + c];
        double l = -(1.0 - eps) * picked;
        if (eps != 0f) {
            l -= eps / (double) classes * Reduce.sum(logProbs, p, classes);
        }
        loss[r] = (float) l;
    }

    /** The logits' gradient of row {@code r}; an ignored row is multiplied by 0 (non-finite stays NaN). */
    static void crossEntropyGradRow(float[] logProbs, float[] targets, float[] gradLoss, int r, int classes,
                                    int ignoreIndex, float eps, float[] gx) {
        int p = r * classes;
        float t = targets[r];
        boolean ignored = t == (float) ignoreIndex;
        float gl = ignored ? 0f : gradLoss[r];
        float smooth = eps / classes;
        int i = 0;
        int bound = S.loopBound(classes);
        for (; i < bound; i += L) {
            VMath.exp(FloatVector.fromArray(S, logProbs, p + i)).sub(smooth).mul(gl)
                    .intoArray(gx, p + i);
        }
        for (; i < classes; i++) {
            gx[p + i] = (VMath.exp(logProbs[p + i]) - smooth) * gl;
        }
        if (!ignored) {
            int c = Indexing.index(t, classes, "crossEntropyBackward", r);
            gx[p + c] = (VMath.exp(logProbs[p + c]) - smooth - (1f - eps)) * gl;
        }
    }
}
