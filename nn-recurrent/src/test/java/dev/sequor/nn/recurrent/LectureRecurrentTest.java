package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.sequor.nn.recurrent.Checks.BE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Pyramidal downsampling, the Jordan network, ridge regression and the echo-state network. */
class LectureRecurrentTest {

    @Test
    void pyramidConcatenatesPairsZeroesPaddingAndHalvesLengths() {
        // x[b, t, f] = 100 b + 10 t + f, so every entry says where it came from
        int b = 2;
        int t = 5;
        int f = 2;
        float[] v = new float[b * t * f];
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < t; s++) {
                for (int k = 0; k < f; k++) {
                    v[(i * t + s) * f + k] = 100 * i + 10 * s + k + 1;
                }
            }
        }
        Tensor x = Tensor.of(BE, v, b, t, f);
        PyramidalDownsample.Output r = PyramidalDownsample.halving().forward(x, new int[] {5, 3});
        assertThat(r.output().shape()).containsExactly(2, 3, 4);
        assertThat(r.lengths()).containsExactly(3, 2);
        assertThat(r.output().toFloatArray()).containsExactly(
                1, 2, 11, 12, 21, 22, 31, 32, 41, 42, 0, 0,
                101, 102, 111, 112, 121, 122, 0, 0, 0, 0, 0, 0);
        PyramidalDownsample.Output three = new PyramidalDownsample(3).forward(x, null);
        assertThat(three.output().shape()).containsExactly(2, 2, 6);
        assertThat(three.lengths()).containsExactly(2, 2);
        assertThatThrownBy(() -> PyramidalDownsample.halving().forward(x, new int[] {6, 1}))
                .hasMessageContaining("lengths[0] = 6");
    }

    @Test
    void jordanStepIsTheEquations() {
        JordanConfig c = JordanConfig.of(3, 4, 2).withOutputActivation(JordanConfig.Activation.SIGMOID).withSeed(3);
        JordanCell cell = new JordanCell(BE, c);
        var p = cell.namedParameters();
        assertThat(p.keySet()).containsExactlyInAnyOrder("ih.weight", "ih.bias", "yh.weight", "hy.weight", "hy.bias");
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(4), 2, 3);
        Tensor y0 = Tensor.uniform(BE, -1f, 1f, Seed.of(5), 2, 2);
        Tensor h = x.matmulTransposed(p.get("ih.weight")).add(p.get("ih.bias"))
                .add(y0.matmulTransposed(p.get("yh.weight"))).tanh();
        Tensor y = h.matmulTransposed(p.get("hy.weight")).add(p.get("hy.bias")).sigmoid();
        Checks.close(cell.forward(x, y0).toFloatArray(), y.toFloatArray(), 1e-6, "y_1");
    }

    @Test
    void jordanGradientsMatchFiniteDifferences() {
        Jordan net = new Jordan(BE, JordanConfig.of(2, 3, 2).withOutputActivation(JordanConfig.Activation.TANH)
                .withSeed(7));
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(8), 2, 4, 2).requiresGrad(true);
        Tensor y0 = Tensor.uniform(BE, -1f, 1f, Seed.of(9), 2, 2).requiresGrad(true);
        List<Tensor> wrt = new ArrayList<>(net.parameters());
        wrt.addAll(List.of(x, y0));
        Checks.finiteDifferences(() -> Checks.weighted(net.forward(x, y0, new int[] {4, 2}), 10), wrt, 1e-2, 3e-3);
    }

    @Test
    void jordanLengthsZeroTheTailAndMatchAShorterRun() {
        Jordan net = new Jordan(BE, JordanConfig.of(2, 5, 3).withSeed(11));
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(12), 2, 6, 2);
        Tensor full = net.forward(x, null, new int[] {6, 3});
        Tensor alone = net.forward(x.narrow(0, 1, 1).narrow(1, 0, 3), null, null);
        Checks.close(full.narrow(0, 1, 1).narrow(1, 0, 3).toFloatArray(), alone.toFloatArray(), 1e-6, "b=1, t<3");
        for (float v : full.narrow(0, 1, 1).narrow(1, 3, 3).toFloatArray()) {
            assertThat(v == 0f).as("output past the length is zero, got " + v).isTrue();   // -0 is a zero too
        }
        Tensor first = net.forward(x.narrow(0, 0, 1), null, null);
        Checks.close(full.narrow(0, 0, 1).toFloatArray(), first.toFloatArray(), 1e-6, "b=0");
    }

    @Test
    void ridgeRecoversALinearMapAndMeetsItsNormalEquations() {
        Tensor phi = Tensor.uniform(BE, -1f, 1f, Seed.of(13), 50, 4);
        Tensor wTrue = Tensor.of(BE, new float[] {1, -2, 0.5f, 3, 0, 1, -1, 2}, 4, 2);
        Tensor y = phi.matmul(wTrue);
        Checks.close(Ridge.solve(phi, y, 0).toFloatArray(), wTrue.toFloatArray(), 1e-4, "lambda = 0");
        Tensor noisy = y.add(Tensor.uniform(BE, -0.3f, 0.3f, Seed.of(14), 50, 2));
        double lambda = 5;
        Tensor w = Ridge.solve(phi, noisy, lambda);
        // d/dW: Phi^T (Phi W - Y) + lambda W = 0
        Tensor grad = phi.transpose(0, 1).matmul(phi.matmul(w).sub(noisy)).add(w.mul((float) lambda));
        for (float g : grad.toFloatArray()) {
            assertThat((double) g).isCloseTo(0, within(1e-4));
        }
        assertThatThrownBy(() -> Ridge.solve(Tensor.zeros(BE, 3, 2), Tensor.zeros(BE, 3, 1), 0))
                .hasMessageContaining("not positive definite");
    }

    @Test
    void spectralRadiusOfRotationBlocksIsTheLargestScale() {
        // 2x2 blocks r [[cos, -sin], [sin, cos]]: eigenvalues r e^{+-i theta}, a complex dominant pair
        double[] r = {0.5, 1.3, 0.9};
        double[] theta = {0.3, 1.1, 2.0};
        int n = 6;
        float[] w = new float[n * n];
        for (int k = 0; k < 3; k++) {
            int o = 2 * k;
            w[o * n + o] = (float) (r[k] * Math.cos(theta[k]));
            w[o * n + o + 1] = (float) (-r[k] * Math.sin(theta[k]));
            w[(o + 1) * n + o] = (float) (r[k] * Math.sin(theta[k]));
            w[(o + 1) * n + o + 1] = (float) (r[k] * Math.cos(theta[k]));
        }
        assertThat(EchoStateNetwork.spectralRadius(w, n, 1)).isCloseTo(1.3, within(1e-5));
    }

    @Test
    void reservoirHasTheConfiguredRadiusSparsityAndForgetsItsStart() {
        EchoStateConfig c = EchoStateConfig.of(1, 60, 1).withSpectralRadius(0.8).withSparsity(0.8).withSeed(5);
        EchoStateNetwork esn = new EchoStateNetwork(BE, c);
        float[] w = esn.reservoir().toFloatArray();
        assertThat(EchoStateNetwork.spectralRadius(w, 60, 99)).isCloseTo(0.8, within(0.02));
        long zeros = 0;
        for (float v : w) {
            zeros += v == 0f ? 1 : 0;
        }
        assertThat(zeros / (double) w.length).isCloseTo(0.8, within(0.03));
        // the echo-state property: two starts driven by the same input end in the same state
        Tensor u = Tensor.uniform(BE, -1f, 1f, Seed.of(6), 1, 200, 1);
        Tensor a = esn.states(u, Tensor.uniform(BE, -1f, 1f, Seed.of(7), 1, 60)).select(1, 199);
        Tensor b = esn.states(u, Tensor.uniform(BE, -1f, 1f, Seed.of(8), 1, 60)).select(1, 199);
        Checks.close(a.toFloatArray(), b.toFloatArray(), 1e-5, "states after 200 steps");
    }

    @Test
    void echoStateReadoutLearnsADelayLine() {
        // y_t = u_{t-3}: only the reservoir's memory can give it; the readout must learn it
        EchoStateNetwork esn = new EchoStateNetwork(BE, EchoStateConfig.of(1, 80, 1).withSpectralRadius(0.9)
                .withInputScale(0.5).withRidge(1e-6).withSeed(2));
        int t = 600;
        float[] u = Tensor.uniform(BE, -1f, 1f, Seed.of(3), 1, t, 1).toFloatArray();
        float[] y = new float[t];
        System.arraycopy(u, 0, y, 3, t - 3);
        Tensor uu = Tensor.of(BE, u, 1, t, 1);
        esn.fit(uu.narrow(1, 0, 400), Tensor.of(BE, y, 1, t, 1).narrow(1, 0, 400), 50);
        float[] pred = esn.forward(uu).toFloatArray();
        double se = 0;
        double var = 0;
        for (int s = 450; s < t; s++) {
            se += (pred[s] - y[s]) * (pred[s] - y[s]);
            var += y[s] * y[s];
        }
        assertThat(Math.sqrt(se / var)).as("held-out NRMSE").isLessThan(0.1);
    }
}
