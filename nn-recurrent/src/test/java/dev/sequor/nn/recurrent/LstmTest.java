package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sequor.nn.recurrent.Checks.BE;
import static org.assertj.core.api.Assertions.assertThat;

class LstmTest {

    private void fusedMatchesStepwise(LstmConfig cfg, int[] lengths) {
        Lstm steps = new Lstm(BE, cfg);
        steps.forceStepwise = true;
        Checks.fusedMatchesStepwise(new Lstm(BE, cfg), steps, lengths);
    }

    @Test
    void fusedMatchesStepwiseSingleLayer() {
        fusedMatchesStepwise(LstmConfig.of(4, 6).withSeed(Seed.of(1)), null);
    }

    @Test
    void fusedMatchesStepwiseDeepBidirectionalVariableLengths() {
        fusedMatchesStepwise(LstmConfig.of(4, 5).withLayers(2).withBidirectional(true).withSeed(Seed.of(2)),
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
        Lstm lstm = new Lstm(BE, LstmConfig.of(3, 4).withBidirectional(true).withSeed(Seed.of(5)));
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(3), 2, 4, 3).requiresGrad(true);
        int[] lengths = {4, 3};
        List<Tensor> wrt = new ArrayList<>(lstm.parameters());
        wrt.add(x);
        Checks.finiteDifferences(() -> {
            RecurrentOutput r = lstm.forward(x, null, lengths);
            return Checks.weighted(r.output(), 7).add(Checks.weighted(r.cN(), 8));
        }, wrt, 1e-2, 2e-3);
    }
}
