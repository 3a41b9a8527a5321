package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.sequor.nn.recurrent.Checks.BE;
import static org.assertj.core.api.Assertions.assertThat;

class LstmTest {

    /** Runs the same model through the fused kernel and through step-by-step Tensor ops. */
    private void fusedMatchesStepwise(LstmConfig cfg, int[] lengths) {
        Lstm fused = new Lstm(BE, cfg);
        Lstm steps = new Lstm(BE, cfg);
        steps.forceStepwise = true;
        int b = 3;
        int t = 5;
        Tensor x1 = Tensor.uniform(BE, -1f, 1f, 11, b, t, cfg.inputSize()).requiresGrad(true);
        Tensor x2 = Tensor.uniform(BE, -1f, 1f, 11, b, t, cfg.inputSize()).requiresGrad(true);
        int ld = cfg.numLayers() * (cfg.bidirectional() ? 2 : 1);
        Tensor h1 = Tensor.uniform(BE, -1f, 1f, 12, ld, b, cfg.outputSize()).requiresGrad(true);
        Tensor h2 = Tensor.uniform(BE, -1f, 1f, 12, ld, b, cfg.outputSize()).requiresGrad(true);
        Tensor c1 = Tensor.uniform(BE, -1f, 1f, 13, ld, b, cfg.hiddenSize()).requiresGrad(true);
        Tensor c2 = Tensor.uniform(BE, -1f, 1f, 13, ld, b, cfg.hiddenSize()).requiresGrad(true);
        RecurrentOutput r1 = fused.forward(x1, new RecurrentState(h1, c1), lengths);
        RecurrentOutput r2 = steps.forward(x2, new RecurrentState(h2, c2), lengths);
        Checks.close(r1.output().toFloatArray(), r2.output().toFloatArray(), 1e-5, "output");
        Checks.close(r1.hN().toFloatArray(), r2.hN().toFloatArray(), 1e-5, "h_n");
        Checks.close(r1.cN().toFloatArray(), r2.cN().toFloatArray(), 1e-5, "c_n");
        Checks.weighted(r1.output(), 1).add(Checks.weighted(r1.hN(), 2)).add(Checks.weighted(r1.cN(), 3)).backward();
        Checks.weighted(r2.output(), 1).add(Checks.weighted(r2.hN(), 2)).add(Checks.weighted(r2.cN(), 3)).backward();
        Checks.close(x1.grad().toFloatArray(), x2.grad().toFloatArray(), 1e-5, "dx");
        Checks.close(h1.grad().toFloatArray(), h2.grad().toFloatArray(), 1e-5, "dh0");
        Checks.close(c1.grad().toFloatArray(), c2.grad().toFloatArray(), 1e-5, "dc0");
        Map<String, float[]> g1 = Checks.grads(fused);
        Map<String, float[]> g2 = Checks.grads(steps);
        assertThat(g1.keySet()).containsExactlyElementsOf(g2.keySet());
        g1.forEach((k, v) -> Checks.close(v, g2.get(k), 1e-5, "d" + k));
    }

    @Test
    void fusedMatchesStepwiseSingleLayer() {
        fusedMatchesStepwise(LstmConfig.of(4, 6).withSeed(1), null);
    }

    @Test
    void fusedMatchesStepwiseDeepBidirectionalVariableLengths() {
        fusedMatchesStepwise(LstmConfig.of(4, 5).withLayers(2).withBidirectional(true).withSeed(2),
                new int[] {5, 2, 4});
    }

    @Test
    void parameterNamesAndShapesAreTorchs() {
        Lstm lstm = new Lstm(BE, LstmConfig.of(3, 4).withLayers(2).withBidirectional(true).withProjSize(2));
        Map<String, Tensor> p = lstm.namedParameters();
        assertThat(p.keySet()).containsExactly(
                "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_hr_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_hr_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse",
                "weight_hr_l1_reverse");
        assertThat(p.get("weight_ih_l0").shape()).containsExactly(16, 3);
        assertThat(p.get("weight_hh_l0").shape()).containsExactly(16, 2);
        assertThat(p.get("weight_hr_l0").shape()).containsExactly(2, 4);
        assertThat(p.get("weight_ih_l1").shape()).containsExactly(16, 4);
    }

    @Test
    void fusedGradientsMatchFiniteDifferences() {
        Lstm lstm = new Lstm(BE, LstmConfig.of(3, 4).withBidirectional(true).withSeed(5));
        Tensor x = Tensor.uniform(BE, -1f, 1f, 3, 2, 4, 3).requiresGrad(true);
        int[] lengths = {4, 3};
        List<Tensor> wrt = new java.util.ArrayList<>(lstm.parameters());
        wrt.add(x);
        Checks.finiteDifferences(() -> {
            RecurrentOutput r = lstm.forward(x, null, lengths);
            return Checks.weighted(r.output(), 7).add(Checks.weighted(r.cN(), 8));
        }, wrt, 1e-2, 2e-3);
    }
}
