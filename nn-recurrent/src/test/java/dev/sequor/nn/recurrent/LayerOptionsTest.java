package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.RnnActivation;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.sequor.nn.recurrent.Checks.BE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Zoneout, dropout, truncated BPTT, streaming, initialisers and bad input. */
class LayerOptionsTest {

    private static RnnCell cellOf(Rnn rnn) {
        RnnCell cell = new RnnCell(BE, RnnConfig.of(rnn.inputSize(), rnn.hiddenSize()));
        Map<String, Tensor> m = new LinkedHashMap<>();
        rnn.namedParameters().forEach((k, v) -> m.put(k.replace("_l0", ""), v));
        cell.loadStateDict(m, true);
        return cell;
    }

    @Test
    void zoneoutKeepsEachUnitOrTakesTheNewValue() {
        Rnn rnn = new Rnn(BE, RnnConfig.of(3, 8).withZoneout(0.5f).withSeed(Seed.of(2)));
        RnnCell cell = cellOf(rnn);
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(5), 2, 6, 3);
        float[] out = rnn.forward(x).output().toFloatArray();   // training mode: Bernoulli masks
        Tensor h = Tensor.zeros(BE, 2, 8);
        int kept = 0;
        int taken = 0;
        for (int t = 0; t < 6; t++) {
            float[] fresh = cell.forward(x.select(1, t), h).toFloatArray();
            float[] prev = h.toFloatArray();
            float[] now = new float[16];
            for (int i = 0; i < 16; i++) {
                now[i] = out[(i / 8) * 6 * 8 + t * 8 + i % 8];
                boolean keep = Math.abs(now[i] - prev[i]) < 1e-6;
                boolean take = Math.abs(now[i] - fresh[i]) < 1e-6;
                assertThat(keep || take).as("step %d unit %d", t, i).isTrue();
                kept += keep && !take ? 1 : 0;
                taken += take && !keep ? 1 : 0;
            }
            h = Tensor.of(BE, now, 2, 8);
        }
        assertThat(kept).isGreaterThan(10);
        assertThat(taken).isGreaterThan(10);
        // evaluation: the expectation p h_{t-1} + (1 - p) h~_t
        rnn.eval();
        float[] ev = rnn.forward(x).output().toFloatArray();
        h = Tensor.zeros(BE, 2, 8);
        for (int t = 0; t < 6; t++) {
            Tensor expected = h.mul(0.5f).add(cell.forward(x.select(1, t), h).mul(0.5f));
            float[] e = expected.toFloatArray();
            for (int i = 0; i < 16; i++) {
                assertThat(ev[(i / 8) * 6 * 8 + t * 8 + i % 8]).isCloseTo(e[i], org.assertj.core.api.Assertions.within(1e-6f));
            }
            h = expected;
        }
    }

    @Test
    void dropoutActsBetweenLayersInTrainingOnly() {
        GruConfig cfg = GruConfig.of(3, 4).withLayers(2).withSeed(Seed.of(3));
        Gru plain = new Gru(BE, cfg);
        Gru dropped = new Gru(BE, cfg.withDropout(0.5f));
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(1), 2, 5, 3);
        float[] a = plain.forward(x).output().toFloatArray();
        float[] b = dropped.forward(x).output().toFloatArray();
        assertThat(b).isNotEqualTo(a);
        dropped.eval();
        Checks.close(dropped.forward(x).output().toFloatArray(), a, 0, "eval output");
    }

    @Test
    void streamingInChunksEqualsOneCall() {
        Lstm lstm = new Lstm(BE, LstmConfig.of(3, 4).withLayers(2).withSeed(Seed.of(4)));
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(2), 2, 7, 3);
        float[] whole = lstm.forward(x).output().toFloatArray();
        RecurrentStream s = new TruncatedBptt(lstm, 3).stream();
        Tensor y = Tensor.concat(1, s.feed(x.narrow(1, 0, 3)), s.feed(x.narrow(1, 3, 1)), s.feed(x.narrow(1, 4, 3)));
        Checks.close(y.toFloatArray(), whole, 1e-6, "streamed output");
        s.reset();
        Checks.close(s.feed(x).toFloatArray(), whole, 1e-6, "after reset");
    }

    @Test
    void streamStateSurvivesTheCallersPerChunkScopes() {
        Lstm lstm = new Lstm(BE, LstmConfig.of(3, 4).withSeed(Seed.of(6)));
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(3), 2, 6, 3);
        float[] whole = lstm.forward(x).output().toFloatArray();
        RecurrentStream s = new TruncatedBptt(lstm, 2).stream();
        float[] streamed = new float[whole.length];
        for (int start = 0; start < 6; start += 2) {
            try (var scope = Tensor.scope()) {   // a caller that frees everything of each chunk
                float[] y = s.feed(x.narrow(1, start, 2)).toFloatArray();   // (2, 2, 4)
                for (int b = 0; b < 2; b++) {
                    System.arraycopy(y, b * 8, streamed, (b * 6 + start) * 4, 8);
                }
            }
        }
        Checks.close(streamed, whole, 1e-6, "streamed output under per-chunk scopes");
    }

    @Test
    void truncatedBpttCarriesStateButCutsGradients() {
        Gru gru = new Gru(BE, GruConfig.of(3, 4).withSeed(Seed.of(5)));
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(3), 2, 6, 3).requiresGrad(true);
        Tensor w = Tensor.uniform(BE, -1f, 1f, Seed.of(4), 2, 6, 4);
        // losses per chunk equal the full run's, restricted to each chunk (the state is carried exactly)
        float[] fullOut = gru.forward(x).output().toFloatArray();
        float[] losses = new TruncatedBptt(gru, 4).train(x, null,
                (out, start) -> out.output().mul(w.narrow(1, start, out.output().size(1))).sum(), start -> { });
        assertThat(losses).hasSize(2);
        float[] wv = w.toFloatArray();
        double first = 0;
        double second = 0;
        for (int i = 0; i < fullOut.length; i++) {
            int t = (i / 4) % 6;
            if (t < 4) {
                first += fullOut[i] * wv[i];
            } else {
                second += fullOut[i] * wv[i];
            }
        }
        assertThat((double) losses[0]).isCloseTo(first, org.assertj.core.api.Assertions.within(1e-5));
        assertThat((double) losses[1]).isCloseTo(second, org.assertj.core.api.Assertions.within(1e-5));
        // a loss on the second chunk only must not reach the first chunk's inputs
        x.zeroGrad();
        new TruncatedBptt(gru, 4).train(x, null, (out, start) -> start == 0
                ? out.output().mul(0f).sum() : out.output().sum(), start -> { });
        float[] gx = x.grad().toFloatArray();
        double early = 0;
        double late = 0;
        for (int i = 0; i < gx.length; i++) {
            int t = (i / 3) % 6;
            if (t < 4) {
                early += Math.abs(gx[i]);
            } else {
                late += Math.abs(gx[i]);
            }
        }
        assertThat(early).isZero();
        assertThat(late).isGreaterThan(0);
    }

    @Test
    void initialisers() {
        Rnn irnn = new Rnn(BE, RnnConfig.of(2, 3).withNonlinearity(RnnActivation.RELU).withInit(RecurrentInit.IDENTITY));
        assertThat(irnn.namedParameters().get("weight_hh_l0").toFloatArray())
                .containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);
        Lstm orth = new Lstm(BE, LstmConfig.of(2, 5).withInit(RecurrentInit.ORTHOGONAL).withSeed(Seed.of(3)));
        float[] w = orth.namedParameters().get("weight_hh_l0").toFloatArray();   // (4*5, 5): four 5x5 blocks
        for (int g = 0; g < 4; g++) {
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    double dot = 0;
                    for (int k = 0; k < 5; k++) {
                        dot += w[(g * 5 + i) * 5 + k] * w[(g * 5 + j) * 5 + k];
                    }
                    assertThat(dot).isCloseTo(i == j ? 1 : 0, org.assertj.core.api.Assertions.within(1e-5));
                }
            }
        }
        float bound = (float) (1 / Math.sqrt(5));
        for (float v : orth.namedParameters().get("weight_ih_l0").toFloatArray()) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(bound);
        }
    }

    @Test
    void badInputNamesTheProblem() {
        Lstm lstm = new Lstm(BE, LstmConfig.of(3, 4).withLayers(2).withBidirectional(true));
        Tensor x = Tensor.zeros(BE, 2, 5, 3);
        assertThatThrownBy(() -> lstm.forward(Tensor.zeros(BE, 2, 5, 7)))
                .hasMessageContaining("Lstm").hasMessageContaining("input width 7").hasMessageContaining("inputSize 3");
        assertThatThrownBy(() -> lstm.forward(Tensor.zeros(BE, 5, 3)))
                .hasMessageContaining("batch-first").hasMessageContaining("[5, 3]");
        assertThatThrownBy(() -> lstm.forward(x, new RecurrentState(Tensor.zeros(BE, 2, 2, 4), Tensor.zeros(BE, 4, 2, 4))))
                .hasMessageContaining("initial h").hasMessageContaining("[2, 2, 4]").hasMessageContaining("[4, 2, 4]");
        assertThatThrownBy(() -> lstm.forward(x, new RecurrentState(Tensor.zeros(BE, 4, 2, 4), null)))
                .hasMessageContaining("initial c is missing");
        assertThatThrownBy(() -> lstm.forward(x, null, new int[] {5, 6}))
                .hasMessageContaining("lengths[1] = 6").hasMessageContaining("T = 5");
        assertThatThrownBy(() -> lstm.forward(x, null, new int[] {0, 5}))
                .hasMessageContaining("lengths[0] = 0");
        assertThatThrownBy(() -> lstm.forward(x, null, new int[] {5}))
                .hasMessageContaining("lengths has 1 entries");
        assertThatThrownBy(() -> lstm.forward(x, null, Tensor.of(BE, new float[] {5, 2.5f}, 2)))
                .hasMessageContaining("lengths[1] = 2.5").hasMessageContaining("whole number");
        Checks.close(lstm.forward(x, null, Tensor.of(BE, new float[] {5, 3}, 2)).output().toFloatArray(),
                lstm.forward(x, null, new int[] {5, 3}).output().toFloatArray(), 0, "lengths as a tensor");
        Map<String, Tensor> sd = new LinkedHashMap<>(lstm.stateDict());
        sd.remove("bias_hh_l1");
        sd.put("weight_hh_l0", Tensor.zeros(BE, 16, 5));
        sd.put("weight_hh_l2", Tensor.zeros(BE, 16, 4));
        assertThatThrownBy(() -> new Lstm(BE, LstmConfig.of(3, 4).withLayers(2).withBidirectional(true))
                .loadStateDict(sd, true))
                .hasMessageContaining("missing key 'bias_hh_l1'")
                .hasMessageContaining("'weight_hh_l0': expected shape [16, 4] but got [16, 5]")
                .hasMessageContaining("unexpected key 'weight_hh_l2'");
        GruCell cell = new GruCell(BE, GruConfig.of(3, 4));
        assertThatThrownBy(() -> cell.forward(Tensor.zeros(BE, 2, 3), Tensor.zeros(BE, 3, 4)))
                .hasMessageContaining("GruCell").hasMessageContaining("[3, 4]").hasMessageContaining("[2, 4]");
        assertThatThrownBy(() -> LstmConfig.of(3, 4).withProjSize(4))
                .hasMessageContaining("projSize");
    }

    @Test
    void aTrainingStepInsideAScopeFreesEverythingItMade() {
        Lstm lstm = new Lstm(BE, LstmConfig.of(3, 4).withLayers(2).withBidirectional(true).withSeed(Seed.of(9)));
        Gru gru = new Gru(BE, GruConfig.of(8, 4).withZoneout(0.2f).withSeed(Seed.of(9)));
        Runnable step = () -> {
            try (var scope = Tensor.scope()) {
                Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(1), 2, 5, 3).requiresGrad(true);
                RecurrentOutput r = lstm.forward(x, null, new int[] {5, 3});
                Checks.weighted(gru.forward(r.output()).output(), 2).add(Checks.weighted(r.cN(), 3)).backward();
            }
        };
        step.run();   // parameter gradients now exist and are accumulated in place from here on
        long live = BE.liveBuffers();
        for (int i = 0; i < 3; i++) {
            step.run();
            assertThat(BE.liveBuffers()).as("live buffers after step %d", i).isEqualTo(live);
        }
    }
}
