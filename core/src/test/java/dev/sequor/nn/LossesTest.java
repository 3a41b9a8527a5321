package dev.sequor.nn;

import dev.sequor.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.sequor.nn.Fixtures.BE;
import static dev.sequor.nn.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LossesTest {

    /** Per-row smoothed cross-entropy in double; 0 for ignored rows. */
    static double[] crossEntropyRows(float[] x, float[] t, int classes, int ignore, double eps) {
        int rows = t.length;
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            if (t[r] == ignore) {
                continue;
            }
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                m = Math.max(m, x[r * classes + c]);
            }
            double s = 0;
            for (int c = 0; c < classes; c++) {
                s += Math.exp(x[r * classes + c] - m);
            }
            double lse = m + Math.log(s);
            double all = 0;
            for (int c = 0; c < classes; c++) {
                all += x[r * classes + c] - lse;
            }
            out[r] = -(1 - eps) * (x[r * classes + (int) t[r]] - lse) - eps / classes * all;
        }
        return out;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s;
    }

    @Test
    void crossEntropyMatchesDoubleForEveryReductionAndLayout() {
        Tensor logits = Fixtures.param(1, -3, 3, 2, 3, 5); // (B, T, C)
        Tensor targets = Tensor.of(BE, new float[] {0, 4, -100, 2, -100, 1}, 2, 3);
        double[] rows = crossEntropyRows(logits.toFloatArray(), targets.toFloatArray(), 5, -100, 0);
        assertClose("none", Losses.crossEntropy(logits, targets, -100, Reduction.NONE, 0).toFloatArray(), rows, 1e-6);
        assertThat(Losses.crossEntropy(logits, targets, -100, Reduction.NONE, 0).shape()).containsExactly(2, 3);
        assertClose("sum", Losses.crossEntropy(logits, targets, -100, Reduction.SUM, 0).item(), sum(rows), 1e-6);
        assertClose("mean over the 4 targets not ignored", Losses.crossEntropy(logits, targets).item(),
                sum(rows) / 4, 1e-6);
        Tensor flat = logits.reshape(6, 5); // (N, C)
        assertClose("(N, C) layout", Losses.crossEntropy(flat, targets.reshape(6)).item(), sum(rows) / 4, 1e-6);
    }

    @Test
    void crossEntropyWithLabelSmoothingMatchesDouble() {
        Tensor logits = Fixtures.param(2, -3, 3, 4, 6);
        Tensor targets = Tensor.of(BE, new float[] {5, 0, 3, 3}, 4);
        double[] rows = crossEntropyRows(logits.toFloatArray(), targets.toFloatArray(), 6, -100, 0.1);
        assertClose("smoothed mean", Losses.crossEntropy(logits, targets, -100, Reduction.MEAN, 0.1f).item(),
                sum(rows) / 4, 1e-6);
    }

    @Test
    void crossEntropyGradientsByFiniteDifferences() {
        Tensor logits = Fixtures.param(3, -2, 2, 2, 3, 4);
        Tensor targets = Tensor.of(BE, new float[] {1, 3, 7, 0, 7, 2}, 2, 3);
        for (Reduction r : Reduction.values()) {
            GradCheck.create().check("crossEntropy " + r,
                    t -> Losses.crossEntropy(t[0], targets, 7, r, 0f), logits);
        }
        GradCheck.create().check("crossEntropy smoothed",
                t -> Losses.crossEntropy(t[0], targets, 7, Reduction.MEAN, 0.2f), logits);
    }

    @Test
    void crossEntropyIsExactForLargeLogitsAndNaNWhenAllIgnored() {
        Tensor logits = Tensor.of(BE, new float[] {1e4f, 0, -1e4f, 0, 1e4f, 1e4f - 1}, 2, 3);
        Tensor targets = Tensor.of(BE, new float[] {1, 4}, 2);
        Tensor rows = Losses.crossEntropy(logits, Tensor.of(BE, new float[] {1, 0}, 2), -100, Reduction.NONE, 0);
        double[] expected = crossEntropyRows(logits.toFloatArray(), new float[] {1, 0}, 3, -100, 0);
        assertClose("large logits", rows.toFloatArray(), expected, 1e-6);
        assertThat(expected[0]).isEqualTo(1e4);
        Tensor allIgnored = Tensor.of(BE, new float[] {-100, -100}, 2);
        Tensor leaf = Fixtures.param(9, -1, 1, 2, 3);
        Tensor nan = Losses.crossEntropy(leaf, allIgnored);
        assertThat(nan.item()).isNaN();
        nan.backward();
        assertClose("PyTorch gives zero gradients here", leaf.grad().toFloatArray(), new double[6], 0);
        assertThat(Losses.crossEntropy(logits, allIgnored, -100, Reduction.SUM, 0).item()).isEqualTo(0f);
        assertThatThrownBy(() -> Losses.crossEntropy(logits, targets))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("target 4.0 at position 1").hasMessageContaining("[0, 3)");
    }

    @Test
    void targetsThatDoNotFitTheLogitsNameBothShapes() {
        Tensor logits = Tensor.zeros(BE, 4, 5, 10);
        assertThatThrownBy(() -> Losses.crossEntropy(logits, Tensor.zeros(BE, 4, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[4, 3]").hasMessageContaining("[4, 5, 10]").hasMessageContaining("[4, 5]");
        assertThatThrownBy(() -> Losses.nll(logits, Tensor.zeros(BE, 4), -100, Reduction.MEAN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nll");
        assertThatThrownBy(() -> Losses.mse(Tensor.zeros(BE, 3), Tensor.zeros(BE, 3, 1), Reduction.MEAN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3]").hasMessageContaining("[3, 1]");
        assertThatThrownBy(() -> Losses.crossEntropy(logits, Tensor.full(BE, 1.5f, 4, 5)))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("1.5");
    }

    @Test
    void nllEqualsCrossEntropyOnLogSoftmax() {
        Tensor logits = Fixtures.param(4, -3, 3, 5, 4);
        Tensor targets = Tensor.of(BE, new float[] {3, -1, 0, 2, -1}, 5);
        for (Reduction r : Reduction.values()) {
            float[] ce = Losses.crossEntropy(logits, targets, -1, r, 0).toFloatArray();
            float[] nll = Losses.nll(logits.logSoftmax(-1), targets, -1, r).toFloatArray();
            double[] expected = new double[ce.length];
            for (int i = 0; i < ce.length; i++) {
                expected[i] = ce[i];
            }
            assertClose("nll " + r, nll, expected, 1e-6);
            GradCheck.create().check("nll " + r, t -> Losses.nll(t[0], targets, -1, r), logits);
        }
    }

    @Test
    void mseMatchesDoubleWithGradients() {
        Tensor a = Fixtures.param(5, -2, 2, 3, 4);
        Tensor b = Fixtures.param(6, -2, 2, 3, 4);
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += ((double) x[i] - y[i]) * ((double) x[i] - y[i]);
        }
        assertClose("mse mean", Losses.mse(a, b, Reduction.MEAN).item(), s / x.length, 1e-6);
        assertClose("mse sum", Losses.mse(a, b, Reduction.SUM).item(), s, 1e-6);
        GradCheck.create().check("mse", t -> Losses.mse(t[0], t[1], Reduction.MEAN), a, b);
        GradCheck.create().check("mse none", t -> Losses.mse(t[0], t[1], Reduction.NONE), a, b);
    }

    @Test
    void bceWithLogitsIsStableAndHasGradientSigmoidMinusTarget() {
        float[] xs = {-100, -20, -1.5f, 0, 0.5f, 3, 20, 100};
        float[] ys = {0, 1, 0.3f, 1, 0, 0.7f, 0, 1};
        Tensor x = Tensor.of(BE, xs, 8).requiresGrad(true);
        Tensor y = Tensor.of(BE, ys, 8).requiresGrad(true);
        double[] expected = new double[8];
        double[] gx = new double[8];
        for (int i = 0; i < 8; i++) {
            expected[i] = Math.max(xs[i], 0) - (double) xs[i] * ys[i] + Math.log1p(Math.exp(-Math.abs(xs[i])));
            gx[i] = 1 / (1 + Math.exp(-xs[i])) - ys[i];
        }
        Tensor loss = Losses.bceWithLogits(x, y, Reduction.NONE);
        assertClose("bce", loss.toFloatArray(), expected, 1e-6);
        loss.sum().backward();
        assertClose("bce grad at x (incl. x = 0)", x.grad().toFloatArray(), gx, 1e-6);
        Tensor xm = Fixtures.param(7, -4, 4, 2, 3);
        Tensor ym = Fixtures.param(8, 0, 1, 2, 3);
        GradCheck.create().check("bce mean", t -> Losses.bceWithLogits(t[0], t[1], Reduction.MEAN), xm, ym);
    }
}
