package dev.sequor.nn;

import dev.sequor.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.sequor.nn.Fixtures.BE;
import static dev.sequor.nn.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

class BatchNormTest {

    /** Batch statistics per feature of {@code (N, C)} rows in double: {mean[C], biased var[C]}. */
    private static double[][] stats(float[] x, int c) {
        int n = x.length / c;
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int j = 0; j < c; j++) {
            for (int i = 0; i < n; i++) {
                mean[j] += x[i * c + j];
            }
            mean[j] /= n;
            for (int i = 0; i < n; i++) {
                var[j] += (x[i * c + j] - mean[j]) * (x[i * c + j] - mean[j]);
            }
            var[j] /= n;
        }
        return new double[][] {mean, var};
    }

    @Test
    void trainingNormalisesWithBatchStatisticsAndUpdatesRunningOnes() {
        BatchNorm1d bn = new BatchNorm1d(BE, 3, 1e-5f, 0.1f, true, true);
        assertThat(bn.stateDict().keySet())
                .containsExactly("weight", "bias", "running_mean", "running_var", "num_batches_tracked");
        Tensor x = Fixtures.param(31, -2, 3, 5, 3);
        float[] xs = x.toFloatArray();
        double[][] s = stats(xs, 3);
        double[] expected = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            expected[i] = (xs[i] - s[0][i % 3]) / Math.sqrt(s[1][i % 3] + 1e-5);
        }
        assertClose("BatchNorm1d train", bn.forward(x).toFloatArray(), expected, 1e-5);
        double[] rm = new double[3];
        double[] rv = new double[3];
        for (int j = 0; j < 3; j++) {
            rm[j] = 0.1 * s[0][j];
            rv[j] = 0.9 + 0.1 * s[1][j] * 5 / 4; // unbiased variance in the running estimate
        }
        assertClose("running_mean", bn.runningMean().toFloatArray(), rm, 1e-6);
        assertClose("running_var", bn.runningVar().toFloatArray(), rv, 1e-6);
        assertThat(bn.numBatchesTracked().item()).isEqualTo(1f);
        bn.eval();
        double[] evalExpected = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            evalExpected[i] = (xs[i] - rm[i % 3]) / Math.sqrt(rv[i % 3] + 1e-5);
        }
        assertClose("BatchNorm1d eval", bn.forward(x).toFloatArray(), evalExpected, 1e-5);
        assertThat(bn.numBatchesTracked().item()).isEqualTo(1f);
    }

    @Test
    void cumulativeAverageWhenMomentumIsNull() {
        BatchNorm1d bn = new BatchNorm1d(BE, 2, 1e-5f, null, false, true);
        Tensor a = Fixtures.param(32, -1, 1, 4, 2);
        Tensor b = Fixtures.param(33, 0, 4, 4, 2);
        bn.forward(a);
        bn.forward(b);
        double[] ma = stats(a.toFloatArray(), 2)[0];
        double[] mb = stats(b.toFloatArray(), 2)[0];
        assertClose("running_mean average of two batches", bn.runningMean().toFloatArray(),
                new double[] {(ma[0] + mb[0]) / 2, (ma[1] + mb[1]) / 2}, 1e-6);
    }

    @Test
    void sequenceLayoutsNormaliseAcrossBatchAndTime() {
        Tensor btc = Fixtures.param(34, -2, 2, 2, 3, 4); // (B, T, C)
        BatchNorm1d first = new BatchNorm1d(BE, 4, 1e-5f, 0.1f, true, true);
        BatchNorm1d second = new BatchNorm1d(BE, 4, 1e-5f, 0.1f, true, true);
        float[] xs = btc.toFloatArray();
        double[][] s = stats(xs, 4);
        double[] expected = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            expected[i] = (xs[i] - s[0][i % 4]) / Math.sqrt(s[1][i % 4] + 1e-5);
        }
        Tensor y = first.forwardBatchFirst(btc);
        assertThat(y.shape()).containsExactly(2, 3, 4);
        assertClose("batch-first", y.toFloatArray(), expected, 1e-5);
        Tensor bct = btc.permute(0, 2, 1); // (B, C, T), PyTorch's layout
        Tensor y2 = second.forward(bct);
        assertThat(y2.shape()).containsExactly(2, 4, 3);
        assertClose("channel-second", y2.permute(0, 2, 1).toFloatArray(), expected, 1e-5);
        assertClose("same running stats", second.runningVar().toFloatArray(), toDouble(first.runningVar()), 1e-6);
    }

    @Test
    void gradientsByFiniteDifferences() {
        BatchNorm1d bn = new BatchNorm1d(BE, 3, 1e-5f, 0.1f, true, true);
        bn.weight().assign(Tensor.of(BE, Fixtures.uniform(35, 3, 0.5, 1.5), 3));
        bn.bias().assign(Tensor.of(BE, Fixtures.uniform(36, 3, -0.5, 0.5), 3));
        Tensor x = Fixtures.param(37, -2, 2, 4, 3);
        GradCheck.create().check("BatchNorm1d (B, C)", t -> bn.forward(t[0]), x, bn.weight(), bn.bias());
        Tensor seq = Fixtures.param(38, -2, 2, 2, 2, 3);
        GradCheck.create().check("BatchNorm1d (B, T, C)", t -> bn.forwardBatchFirst(t[0]), seq, bn.weight());
        bn.eval();
        GradCheck.create().check("BatchNorm1d eval", t -> bn.forward(t[0]), x, bn.weight(), bn.bias());
        BatchNorm1d untracked = new BatchNorm1d(BE, 3, 1e-5f, 0.1f, false, false);
        assertThat(untracked.stateDict()).isEmpty();
        untracked.eval();
        BatchNorm1d training = new BatchNorm1d(BE, 3, 1e-5f, 0.1f, false, true);
        assertClose("untracked uses batch statistics in eval", untracked.forward(x).toFloatArray(),
                toDouble(training.forward(x)), 0);
    }

    private static double[] toDouble(Tensor t) {
        float[] f = t.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
