package dev.sequor.nn;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.sequor.nn.Fixtures.BE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class InitTest {

    private static double[] meanStdMaxAbs(Tensor t) {
        float[] v = t.toFloatArray();
        double mean = 0;
        double sq = 0;
        double max = 0;
        for (float f : v) {
            mean += f;
            sq += (double) f * f;
            max = Math.max(max, Math.abs(f));
        }
        mean /= v.length;
        return new double[] {mean, Math.sqrt(sq / v.length - mean * mean), max};
    }

    @Test
    void gainsAndFansFollowPyTorch() {
        assertThat(Init.calculateGain("tanh", 0)).isEqualTo(5.0 / 3);
        assertThat(Init.calculateGain("relu", 0)).isEqualTo(Math.sqrt(2));
        assertThat(Init.calculateGain("leaky_relu", 0.01)).isCloseTo(Math.sqrt(2 / 1.0001), within(1e-15));
        assertThat(Init.calculateGain("selu", 0)).isEqualTo(0.75);
        assertThat(Init.calculateGain("sigmoid", 0)).isEqualTo(1);
        assertThat(Init.fans(new int[] {64, 32, 3})).containsExactly(96, 192);
        assertThatThrownBy(() -> Init.calculateGain("swish", 0)).hasMessageContaining("swish");
        assertThatThrownBy(() -> Init.fans(new int[] {5})).hasMessageContaining("[5]");
    }

    @Test
    void xavierAndKaimingHaveTheirBoundsAndSpreads() {
        int[] shape = {400, 300};
        double a = Math.sqrt(6.0 / 700);
        double[] xu = meanStdMaxAbs(Init.xavierUniform(BE, 1.0, Seed.of(1), shape));
        assertThat(xu[2]).isLessThanOrEqualTo(a);
        assertThat(xu[1]).isCloseTo(a / Math.sqrt(3), within(0.01 * a));
        double[] xn = meanStdMaxAbs(Init.xavierNormal(BE, 2.0, Seed.of(2), shape));
        assertThat(xn[1]).isCloseTo(2 * Math.sqrt(2.0 / 700), within(0.02 * xn[1]));
        double bound = Math.sqrt(2) * Math.sqrt(3.0 / 300);
        double[] ku = meanStdMaxAbs(Init.kaimingUniform(BE, 0, Init.FanMode.FAN_IN, "relu", Seed.of(3), shape));
        assertThat(ku[2]).isLessThanOrEqualTo(bound);
        assertThat(ku[1]).isCloseTo(bound / Math.sqrt(3), within(0.01 * bound));
        double[] kn = meanStdMaxAbs(Init.kaimingNormal(BE, 0, Init.FanMode.FAN_OUT, "relu", Seed.of(4), shape));
        assertThat(kn[1]).isCloseTo(Math.sqrt(2.0 / 400), within(0.02 * kn[1]));
        assertThat(kn[0]).isCloseTo(0, within(0.01 * kn[1]));
    }

    @Test
    void orthogonalIsOrthonormalForEveryAspectRatioTimesGain() {
        int[][] shapes = {{6, 6}, {8, 3}, {3, 8}, {4, 2, 3}};
        for (int[] shape : shapes) {
            float[] q = Init.orthogonal(BE, 2.0, Seed.of(5), shape).toFloatArray();
            int rows = shape[0];
            int cols = q.length / rows;
            boolean wide = rows < cols;
            int k = wide ? rows : cols;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double dot = 0;
                    for (int l = 0; l < (wide ? cols : rows); l++) {
                        dot += wide ? (double) q[i * cols + l] * q[j * cols + l] : (double) q[l * cols + i] * q[l * cols + j];
                    }
                    assertThat(dot).as("shape %s (%d, %d)", Arrays.toString(shape), i, j)
                            .isCloseTo(i == j ? 4.0 : 0.0, within(1e-5));
                }
            }
        }
    }

    @Test
    void orthogonalIsTheQFactorWithPositiveDiagonalOfTheSeededNormalMatrix() {
        // Q^T A = R must be upper triangular with a positive diagonal (PyTorch's sign correction).
        float[] q = Init.orthogonal(BE, 1.0, Seed.of(9), 5, 3).toFloatArray();
        float[] a = Tensor.normal(BE, 0, 1, Seed.of(9), 5, 3).toFloatArray();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double r = 0;
                for (int l = 0; l < 5; l++) {
                    r += (double) q[l * 3 + i] * a[l * 3 + j];
                }
                if (i > j) {
                    assertThat(r).isCloseTo(0, within(1e-5));
                } else if (i == j) {
                    assertThat(r).isPositive();
                }
            }
        }
    }

    @Test
    void inPlaceFormsFillParametersReproducibly() {
        Linear lin = new Linear(BE, 4, 3, true, Seed.of(0));
        Init.xavierUniform(lin.weight(), 1.0, Seed.of(42));
        assertThat(lin.weight().toFloatArray()).isEqualTo(Init.xavierUniform(BE, 1.0, Seed.of(42), 3, 4).toFloatArray());
        assertThat(lin.weight().requiresGrad()).isTrue();
        Init.constant(lin.bias(), 0.5f);
        assertThat(lin.bias().toFloatArray()).containsOnly(0.5f);
        Tensor w = Tensor.zeros(BE, 3, 4);
        Init.eye(w);
        assertThat(w.toFloatArray()).containsExactly(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0);
        Init.orthogonal(w, 1.0, Seed.of(3));
        assertThat(w.toFloatArray()).isEqualTo(Init.orthogonal(BE, 1.0, Seed.of(3), 3, 4).toFloatArray());
        Tensor k = Init.kaimingUniform(Tensor.zeros(BE, 50, 40), Seed.of(11));
        assertThat(k.toFloatArray()).isEqualTo(
                Init.kaimingUniform(BE, 0, Init.FanMode.FAN_IN, "leaky_relu", Seed.of(11), 50, 40).toFloatArray());
        assertThat(meanStdMaxAbs(k)[2]).isLessThanOrEqualTo(Math.sqrt(2) * Math.sqrt(3.0 / 40));
        float[] u = Init.uniform(Tensor.zeros(BE, 100), -0.1f, 0.1f, Seed.of(8)).toFloatArray();
        for (float f : u) {
            assertThat(f).isBetween(-0.1f, 0.1f);
        }
    }
}
