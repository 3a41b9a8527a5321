package dev.sequor.nn;

import dev.sequor.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.sequor.nn.Fixtures.BE;
import static dev.sequor.nn.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NormalizationTest {

    /** Row-wise layer norm in double; {@code w}, {@code b} may be null. */
    static double[] layerNorm(float[] x, int cols, float[] w, float[] b, double eps) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / cols; r++) {
            double mean = 0;
            for (int j = 0; j < cols; j++) {
                mean += x[r * cols + j];
            }
            mean /= cols;
            double var = 0;
            for (int j = 0; j < cols; j++) {
                var += (x[r * cols + j] - mean) * (x[r * cols + j] - mean);
            }
            var /= cols;
            for (int j = 0; j < cols; j++) {
                double v = (x[r * cols + j] - mean) / Math.sqrt(var + eps);
                y[r * cols + j] = v * (w == null ? 1 : w[j]) + (b == null ? 0 : b[j]);
            }
        }
        return y;
    }

    @Test
    void layerNormMatchesDoubleAndFiniteDifferences() {
        LayerNorm ln = new LayerNorm(BE, new int[] {3, 4}, 1e-5f, true);
        ln.weight().assign(Tensor.of(BE, Fixtures.uniform(11, 12, 0.5, 1.5), 3, 4));
        ln.bias().assign(Tensor.of(BE, Fixtures.uniform(12, 12, -0.5, 0.5), 3, 4));
        Tensor x = Fixtures.param(13, -2, 2, 2, 3, 4);
        double[] expected = layerNorm(x.toFloatArray(), 12, ln.weight().toFloatArray(), ln.bias().toFloatArray(), 1e-5);
        assertClose("LayerNorm", ln.forward(x).toFloatArray(), expected, 1e-5);
        assertThat(ln.forward(x).shape()).containsExactly(2, 3, 4);
        GradCheck.create().check("LayerNorm", t -> ln.forward(t[0]), x, ln.weight(), ln.bias());
        LayerNorm plain = new LayerNorm(BE, new int[] {4}, 1e-5f, false);
        assertThat(plain.namedParameters()).isEmpty();
        assertClose("LayerNorm no affine", plain.forward(x).toFloatArray(),
                layerNorm(x.toFloatArray(), 4, null, null, 1e-5), 1e-5);
        GradCheck.create().check("LayerNorm no affine", t -> plain.forward(t[0]), x);
    }

    @Test
    void layerNormKeepsPrecisionForALargeMean() {
        float[] v = new float[8];
        for (int i = 0; i < 8; i++) {
            v[i] = 1000f + 0.01f * i;
        }
        Tensor x = Tensor.of(BE, v, 1, 8);
        assertClose("offset row", new LayerNorm(BE, new int[] {8}, 1e-5f, false).forward(x).toFloatArray(),
                layerNorm(v, 8, null, null, 1e-5), 2e-3);
    }

    @Test
    void rmsNormMatchesItsFormulaAndFiniteDifferences() {
        RMSNorm rms = new RMSNorm(BE, new int[] {5}, null, true);
        assertThat(rms.eps()).isEqualTo(1.1920929e-07f);
        rms.weight().assign(Tensor.of(BE, Fixtures.uniform(21, 5, 0.5, 1.5), 5));
        Tensor x = Fixtures.param(22, -2, 2, 3, 5);
        float[] xs = x.toFloatArray();
        float[] w = rms.weight().toFloatArray();
        double[] expected = new double[xs.length];
        for (int r = 0; r < 3; r++) {
            double ms = 0;
            for (int j = 0; j < 5; j++) {
                ms += (double) xs[r * 5 + j] * xs[r * 5 + j];
            }
            double scale = 1 / Math.sqrt(ms / 5 + rms.eps());
            for (int j = 0; j < 5; j++) {
                expected[r * 5 + j] = xs[r * 5 + j] * scale * w[j];
            }
        }
        assertClose("RMSNorm", rms.forward(x).toFloatArray(), expected, 1e-5);
        GradCheck.create().check("RMSNorm", t -> rms.forward(t[0]), x, rms.weight());
    }

    @Test
    void wrongInputWidthNamesBothShapes() {
        Tensor x = Tensor.zeros(BE, 2, 5);
        assertThatThrownBy(() -> new LayerNorm(BE, new int[] {4}, 1e-5f, true).forward(x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LayerNorm").hasMessageContaining("[2, 5]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> new RMSNorm(BE, new int[] {4}, 1e-6f, true).forward(x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RMSNorm").hasMessageContaining("[2, 5]").hasMessageContaining("[4]");
        BatchNorm1d bn = new BatchNorm1d(BE, 4, 1e-5f, 0.1f, true, true);
        assertThatThrownBy(() -> bn.forward(x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BatchNorm1d").hasMessageContaining("(B, 4)").hasMessageContaining("[2, 5]");
        assertThatThrownBy(() -> bn.forwardBatchFirst(Tensor.zeros(BE, 2, 3, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(B, T, 4)").hasMessageContaining("[2, 3, 5]");
        assertThatThrownBy(() -> bn.forward(Tensor.zeros(BE, 1, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 1 value per channel");
    }
}
