package dev.sequor.decode;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BeamSearchTest {

    static final int END = 0, A = 1, B = 2, START = 3;

    /** p(A)=.6, p(B)=.4 first; after A the next token is nearly uniform, after B it is END. */
    static double[] trap(int[] prefix) {
        if (prefix.length == 1) {
            return new double[] {1e-9, 0.6, 0.4, 1e-9};
        }
        if (prefix.length == 2 && prefix[1] == A) {
            return new double[] {0.34, 0.33, 0.33, 1e-9};
        }
        return new double[] {0.98, 0.01, 0.01, 1e-9};
    }

    @Test
    void beamFindsTheSequenceGreedyMisses() {
        TableDecoder d = new TableDecoder(BeamSearchTest::trap);
        Hypothesis greedy = GreedyDecoder.decode(d, TableDecoder.start(1), new int[] {START}, END, 10)
                .hypotheses().get(0);
        assertThat(greedy.tokens()).containsExactly(A, END);
        assertThat(greedy.logProb()).isCloseTo(Math.log(0.6 * 0.34), within(1e-6));

        List<Hypothesis> beam = BeamSearch.search(d, TableDecoder.start(1), START, BeamConfig.of(2, 10, END));
        assertThat(beam).hasSize(1);
        assertThat(beam.get(0).tokens()).containsExactly(B, END);
        assertThat(beam.get(0).finished()).isTrue();
        assertThat(beam.get(0).logProb()).isCloseTo(Math.log(0.4 * 0.98), within(1e-6));
        assertThat(beam.get(0).tokensWithoutEnd()).containsExactly(B);
    }

    @Test
    void widthOneIsGreedy() {
        TableDecoder d = new TableDecoder(BeamSearchTest::trap);
        List<Hypothesis> beam = BeamSearch.search(d, TableDecoder.start(1), START, BeamConfig.of(1, 10, END));
        assertThat(beam.get(0).tokens()).containsExactly(A, END);
    }

    /** A fixed pseudo-random distribution per prefix over 4 tokens (0 = END). */
    static double[] hashed(int[] prefix) {
        Random r = new Random(Arrays.hashCode(prefix) * 1_000_003L);
        double[] p = new double[4];
        double s = 0;
        for (int j = 0; j < 4; j++) {
            p[j] = 0.05 + r.nextDouble();
            s += p[j];
        }
        for (int j = 0; j < 4; j++) {
            p[j] /= s;
        }
        return p;
    }

    record Seq(int[] tokens, double logProb) {
    }

    /** Every finished sequence of at most maxLength tokens, by brute force. */
    static List<Seq> enumerate(int[] prefix, double lp, int maxLength, List<Seq> out) {
        if (prefix.length - 1 == maxLength) {
            return out;
        }
        double[] p = hashed(prefix);
        for (int v = 0; v < p.length; v++) {
            int[] next = Arrays.copyOf(prefix, prefix.length + 1);
            next[prefix.length] = v;
            if (v == 0) {
                out.add(new Seq(Arrays.copyOfRange(next, 1, next.length), lp + Math.log(p[v])));
            } else {
                enumerate(next, lp + Math.log(p[v]), maxLength, out);
            }
        }
        return out;
    }

    @Test
    void aWideBeamReturnsTheExactNBest() {
        int maxLength = 4;
        List<Seq> all = enumerate(new int[] {9}, 0, maxLength, new ArrayList<>());
        all.sort(Comparator.comparingDouble(Seq::logProb).reversed());
        TableDecoder d = new TableDecoder(BeamSearchTest::hashed);
        BeamConfig cfg = new BeamConfig(200, 0.0, 5, maxLength, 0);
        List<Hypothesis> got = BeamSearch.search(d, TableDecoder.start(1), 9, cfg);
        assertThat(got).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(got.get(i).tokens()).as("rank %d", i).containsExactly(all.get(i).tokens());
            assertThat(got.get(i).logProb()).isCloseTo(all.get(i).logProb(), within(1e-5));
            assertThat(got.get(i).finished()).isTrue();
        }
    }

    @Test
    void aNarrowBeamScoresWhatItReturnsAndBeatsGreedy() {
        // Width 3 is not exhaustive (here it prunes the optimum's first token), but what it returns
        // must carry its true log-probability and be no worse than greedy.
        TableDecoder d = new TableDecoder(BeamSearchTest::hashed);
        List<Hypothesis> got = BeamSearch.search(d, TableDecoder.start(1), 9, BeamConfig.of(3, 4, 0).withNBest(3));
        Hypothesis greedy = GreedyDecoder.decode(d, TableDecoder.start(1), new int[] {9}, 0, 4).hypotheses().get(0);
        assertThat(got.get(0).logProb()).isGreaterThanOrEqualTo(greedy.logProb() - 1e-9);
        for (Hypothesis h : got) {
            int[] prefix = {9};
            double truth = 0;
            for (int tok : h.tokens()) {
                truth += Math.log(hashed(prefix)[tok]);
                prefix = Arrays.copyOf(prefix, prefix.length + 1);
                prefix[prefix.length - 1] = tok;
            }
            assertThat(h.logProb()).isCloseTo(truth, within(1e-5));
            assertThat(h.finished()).isEqualTo(h.tokens()[h.length() - 1] == 0);
        }
        assertThat(got.get(0).score()).isGreaterThanOrEqualTo(got.get(1).score());
        assertThat(got.get(1).score()).isGreaterThanOrEqualTo(got.get(2).score());
    }

    @Test
    void lengthPenaltyFavoursLongerOutputs() {
        // END at once: p = .5. "A END": p = .5 * .9 = .45.
        TableDecoder d = new TableDecoder(p -> p.length == 1 ? new double[] {0.5, 0.5, 1e-12}
                : new double[] {0.9, 0.05, 0.05});
        List<Hypothesis> plain = BeamSearch.search(d, TableDecoder.start(1), 2, BeamConfig.of(2, 5, 0).withNBest(2));
        assertThat(plain.get(0).tokens()).containsExactly(0);
        assertThat(plain.get(1).tokens()).containsExactly(1, 0);
        List<Hypothesis> penalised = BeamSearch.search(d, TableDecoder.start(1), 2,
                BeamConfig.of(2, 5, 0).withLengthPenalty(2.0).withNBest(2));
        assertThat(penalised.get(0).tokens()).containsExactly(1, 0);
        // score = log p / ((5 + |Y|) / 6)^alpha
        assertThat(penalised.get(0).score()).isCloseTo(Math.log(0.45) / Math.pow(7.0 / 6.0, 2), within(1e-5));
    }

    @Test
    void withoutAnEndTokenHypothesesRunToTheLimitUnfinished() {
        List<Hypothesis> got = BeamSearch.search(new TableDecoder(BeamSearchTest::hashed), TableDecoder.start(1), 9,
                new BeamConfig(3, 0.0, 3, 3, -1));
        assertThat(got).hasSize(3).allSatisfy(h -> {
            assertThat(h.finished()).isFalse();
            assertThat(h.length()).isEqualTo(3);
        });
        assertThat(got.get(0).score()).isGreaterThanOrEqualTo(got.get(1).score());
    }

    @Test
    void badConfigurationsAreRejected() {
        assertThatThrownBy(() -> new BeamConfig(0, 0, 1, 5, 0)).hasMessageContaining("width");
        assertThatThrownBy(() -> new BeamConfig(2, 0, 3, 5, 0)).hasMessageContaining("nBest");
        assertThatThrownBy(() -> new BeamConfig(2, -1, 1, 5, 0)).hasMessageContaining("lengthPenalty");
        assertThatThrownBy(() -> new BeamConfig(2, 0, 1, 0, 0)).hasMessageContaining("maxLength");
    }
}
