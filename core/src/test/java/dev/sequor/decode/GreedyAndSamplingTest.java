package dev.sequor.decode;

import dev.sequor.core.Seed;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GreedyAndSamplingTest {

    /** Row r (told by its start token s) emits s+1, s+2, ... and END (0) after reaching 5. */
    static double[] counting(int[] prefix) {
        int last = prefix[prefix.length - 1];
        double[] p = new double[7];
        Arrays.fill(p, 0.01);
        p[last >= 5 ? 0 : last + 1] = 0.94;
        return p;
    }

    @Test
    void greedyDecodesEveryRowToItsOwnEnd() {
        TableDecoder d = new TableDecoder(GreedyAndSamplingTest::counting);
        Decoded<List<int[]>> out = GreedyDecoder.decode(d, TableDecoder.start(3), new int[] {1, 3, 4}, 0, 10);
        assertThat(out.hypotheses().get(0).tokens()).containsExactly(2, 3, 4, 5, 0);
        assertThat(out.hypotheses().get(1).tokens()).containsExactly(4, 5, 0);
        assertThat(out.hypotheses().get(2).tokens()).containsExactly(5, 0);
        assertThat(out.hypotheses()).allSatisfy(h -> assertThat(h.finished()).isTrue());
        assertThat(out.hypotheses().get(1).logProb()).isCloseTo(3 * Math.log(0.94), within(1e-5));
        // It stops once all rows are done: the longest row needed 5 steps.
        assertThat(d.steps).isEqualTo(5);
    }

    @Test
    void greedyCutsAtTheLengthLimit() {
        Hypothesis h = GreedyDecoder.decode(new TableDecoder(GreedyAndSamplingTest::counting), TableDecoder.start(1),
                new int[] {1}, 0, 2).hypotheses().get(0);
        assertThat(h.tokens()).containsExactly(2, 3);
        assertThat(h.finished()).isFalse();
    }

    @Test
    void samplingIsReproducibleFromItsSeed() {
        TableDecoder d = new TableDecoder(p -> new double[] {0.1, 0.2, 0.3, 0.4});
        SamplingConfig cfg = SamplingConfig.of(1.0, Seed.of(42));
        var a = Sampler.sample(d, TableDecoder.start(2), new int[] {1, 1}, -1, 30, cfg).hypotheses();
        var b = Sampler.sample(d, TableDecoder.start(2), new int[] {1, 1}, -1, 30, cfg).hypotheses();
        var c = Sampler.sample(d, TableDecoder.start(2), new int[] {1, 1}, -1, 30, SamplingConfig.of(1.0, Seed.of(43)))
                .hypotheses();
        assertThat(a.get(0).tokens()).containsExactly(b.get(0).tokens());
        assertThat(a.get(1).tokens()).containsExactly(b.get(1).tokens());
        assertThat(a.get(0).tokens()).isNotEqualTo(c.get(0).tokens());
        assertThat(a.get(0).length()).isEqualTo(30);
    }

    @Test
    void drawsFollowTheDistribution() {
        double[] lp = {Math.log(0.1), Math.log(0.2), Math.log(0.3), Math.log(0.4)};
        SplittableRandom rng = new SplittableRandom(7);
        int n = 40_000;
        int[] counts = new int[4];
        for (int i = 0; i < n; i++) {
            counts[Sampler.draw(lp, 0, 1.0, rng.nextDouble())]++;
        }
        for (int j = 0; j < 4; j++) {
            // 5 standard deviations of a binomial count
            double sd = Math.sqrt(n * Math.exp(lp[j]) * (1 - Math.exp(lp[j])));
            assertThat((double) counts[j]).isCloseTo(n * Math.exp(lp[j]), within(5 * sd));
        }
    }

    @Test
    void topKAndTopPTruncate() {
        double[] lp = {Math.log(0.1), Math.log(0.2), Math.log(0.3), Math.log(0.4)};
        SplittableRandom rng = new SplittableRandom(3);
        int[] k2 = new int[4];
        int[] p05 = new int[4];
        for (int i = 0; i < 10_000; i++) {
            k2[Sampler.draw(lp, 2, 1.0, rng.nextDouble())]++;
            p05[Sampler.draw(lp, 0, 0.65, rng.nextDouble())]++;
        }
        assertThat(k2[0] + k2[1]).isZero();
        assertThat(k2[2]).isPositive();
        assertThat(k2[3]).isGreaterThan(k2[2]);
        // The nucleus of mass 0.65 is {3 (0.4), 2 (0.3)}.
        assertThat(p05[0] + p05[1]).isZero();
        assertThat(Sampler.draw(lp, 1, 1.0, 0.999)).isEqualTo(3);
        assertThat(Sampler.draw(lp, 0, 0.3, 0.999)).isEqualTo(3);
    }

    @Test
    void lowTemperatureApproachesGreedy() {
        TableDecoder d = new TableDecoder(GreedyAndSamplingTest::counting);
        var h = Sampler.sample(d, TableDecoder.start(1), new int[] {1}, 0, 10, SamplingConfig.of(0.05, Seed.of(1)))
                .hypotheses().get(0);
        assertThat(h.tokens()).containsExactly(2, 3, 4, 5, 0);
        assertThat(h.logProb()).isCloseTo(5 * Math.log(0.94), within(1e-5));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> SamplingConfig.of(0, Seed.of(1))).hasMessageContaining("temperature");
        assertThatThrownBy(() -> SamplingConfig.of(1, Seed.of(1)).withTopP(0)).hasMessageContaining("topP");
        assertThatThrownBy(() -> SamplingConfig.of(1, Seed.of(1)).withTopK(-1)).hasMessageContaining("topK");
        TableDecoder d = new TableDecoder(GreedyAndSamplingTest::counting);
        assertThatThrownBy(() -> GreedyDecoder.decode(d, TableDecoder.start(1), new int[] {1}, 0, 0))
                .hasMessageContaining("maxLength");
    }
}
