package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.RnnActivation;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.sequor.nn.recurrent.Checks.BE;
import static org.assertj.core.api.Assertions.assertThat;

class GruRnnTest {

    private static Gru stepwise(Gru g) {
        g.forceStepwise = true;
        return g;
    }

    private static Rnn stepwise(Rnn r) {
        r.forceStepwise = true;
        return r;
    }

    @Test
    void gruFusedMatchesStepwise() {
        GruConfig cfg = GruConfig.of(4, 5).withSeed(Seed.of(3));
        Checks.fusedMatchesStepwise(new Gru(BE, cfg), stepwise(new Gru(BE, cfg)), null);
    }

    @Test
    void gruFusedMatchesStepwiseDeepBidirectionalVariableLengths() {
        GruConfig cfg = GruConfig.of(3, 4).withLayers(2).withBidirectional(true).withSeed(Seed.of(4));
        Checks.fusedMatchesStepwise(new Gru(BE, cfg), stepwise(new Gru(BE, cfg)), new int[] {2, 5, 3, 1});
    }

    @Test
    void gruWithoutBiasFusedMatchesStepwise() {
        GruConfig cfg = GruConfig.of(3, 4).withBias(false).withSeed(Seed.of(5));
        Checks.fusedMatchesStepwise(new Gru(BE, cfg), stepwise(new Gru(BE, cfg)), new int[] {5, 3});
    }

    @Test
    void rnnTanhAndReluFusedMatchStepwise() {
        RnnConfig tanh = RnnConfig.of(3, 4).withLayers(2).withBidirectional(true).withSeed(Seed.of(6));
        Checks.fusedMatchesStepwise(new Rnn(BE, tanh), stepwise(new Rnn(BE, tanh)), new int[] {4, 5, 2});
        RnnConfig relu = RnnConfig.of(3, 4).withNonlinearity(RnnActivation.RELU).withSeed(Seed.of(7));
        Checks.fusedMatchesStepwise(new Rnn(BE, relu), stepwise(new Rnn(BE, relu)), null);
    }

    @Test
    void choGruGradientsMatchFiniteDifferences() {
        Gru gru = new Gru(BE, GruConfig.of(3, 4).withResetAfter(false).withSeed(Seed.of(8)));
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(9), 2, 3, 3).requiresGrad(true);
        List<Tensor> wrt = new ArrayList<>(gru.parameters());
        wrt.add(x);
        Checks.finiteDifferences(() -> Checks.weighted(gru.forward(x, null, new int[] {3, 2}).output(), 4),
                wrt, 1e-2, 2e-3);
    }

    @Test
    void choGruFollowsItsEquation() {
        // one step, B = 1, H = 1, in = 1, with hand-set weights: n = tanh(w_in x + b_in + w_hn (r h) + b_hn)
        Gru gru = new Gru(BE, GruConfig.of(1, 1).withResetAfter(false));
        float[] wih = {0.5f, -0.3f, 0.8f};
        float[] whh = {0.2f, 0.4f, -0.6f};
        float[] bih = {0.1f, 0.0f, -0.2f};
        float[] bhh = {0.0f, 0.3f, 0.05f};
        gru.namedParameters().get("weight_ih_l0").assign(Tensor.of(BE, wih, 3, 1));
        gru.namedParameters().get("weight_hh_l0").assign(Tensor.of(BE, whh, 3, 1));
        gru.namedParameters().get("bias_ih_l0").assign(Tensor.of(BE, bih, 3));
        gru.namedParameters().get("bias_hh_l0").assign(Tensor.of(BE, bhh, 3));
        double x = 0.7;
        double h = -0.4;
        RecurrentOutput out = gru.forward(Tensor.of(BE, new float[] {(float) x}, 1, 1, 1),
                RecurrentState.of(Tensor.of(BE, new float[] {(float) h}, 1, 1, 1)));
        double r = sig(wih[0] * x + bih[0] + whh[0] * h + bhh[0]);
        double z = sig(wih[1] * x + bih[1] + whh[1] * h + bhh[1]);
        double n = Math.tanh(wih[2] * x + bih[2] + whh[2] * (r * h) + bhh[2]);
        double expected = (1 - z) * n + z * h;
        assertThat((double) out.output().item()).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-6));
        // and the PyTorch form differs: r multiplies (w_hn h + b_hn)
        Gru after = new Gru(BE, GruConfig.of(1, 1));
        after.loadStateDict(gru.stateDict(), true);
        double n2 = Math.tanh(wih[2] * x + bih[2] + r * (whh[2] * h + bhh[2]));
        double expected2 = (1 - z) * n2 + z * h;
        float got2 = after.forward(Tensor.of(BE, new float[] {(float) x}, 1, 1, 1),
                RecurrentState.of(Tensor.of(BE, new float[] {(float) h}, 1, 1, 1))).output().item();
        assertThat((double) got2).isCloseTo(expected2, org.assertj.core.api.Assertions.within(1e-6));
    }

    private static double sig(double a) {
        return 1 / (1 + Math.exp(-a));
    }
}
