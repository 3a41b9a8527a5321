package dev.sequor.train;

import dev.sequor.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {

    /** Two rows of three steps over 3 classes; argmax per step is 2, 0, 1 / 1, 1, 0. */
    private static Prediction batch() {
        float[] logits = {
            0, 0, 5,   5, 0, 0,   0, 5, 0,
            0, 5, 0,   0, 5, 0,   5, 0, 0};
        // row 0: right, right, wrong (target 2); row 1: right, then padding (0 is the pad id)
        float[] target = {2, 0, 2, 1, 0, 0};
        return new Prediction(Tensor.of(logits, 2, 3, 3), Tensor.of(target, 2, 3), -100);
    }

    private static double measure(Metric m, Prediction p, double loss) {
        m.reset();
        m.update(p, loss, p.counted());
        return m.value();
    }

    @Test
    void tokenAccuracyLeavesPaddingOut() {
        Prediction p = batch();
        // all six targets count for plain accuracy: right are (0,0), (0,1), (1,0), (1,2) = 4 of 6
        assertThat(measure(Metrics.accuracy(), p, 0)).isEqualTo(4 / 6.0);
        // pad id 0 drops (0,1), (1,1), (1,2): right are (0,0) and (1,0) of (0,0), (0,2), (1,0)
        assertThat(measure(Metrics.tokenAccuracy(0), p, 0)).isEqualTo(2 / 3.0);
        // rows: row 0 has a wrong token, row 1's only counted token is right
        assertThat(measure(Metrics.exactMatch(0), p, 0)).isEqualTo(0.5);
        // the same padding as the prediction's ignore index gives the same counts
        assertThat(measure(Metrics.tokenAccuracy(-100), p.ignoring(0), 0)).isEqualTo(2 / 3.0);
        assertThat(p.ignoring(0).counted()).isEqualTo(3);
    }

    @Test
    void lossPerplexityAndBitsAreTokenWeighted() {
        Prediction p = batch();
        Metric loss = Metrics.loss();
        Metric ppl = Metrics.perplexity();
        Metric bpc = Metrics.bitsPerChar();
        for (Metric m : new Metric[] {loss, ppl, bpc}) {
            m.reset();
            m.update(p, 1.0, 3);   // mean 1.0 over 3 targets
            m.update(p, 2.0, 1);   // mean 2.0 over 1 target
        }
        double mean = (1.0 * 3 + 2.0) / 4;
        assertThat(loss.value()).isCloseTo(mean, within(1e-12));
        assertThat(ppl.value()).isCloseTo(Math.exp(mean), within(1e-12));
        assertThat(bpc.value()).isCloseTo(mean / Math.log(2), within(1e-12));
        loss.reset();
        assertThat(loss.value()).isNaN();
    }

    @Test
    void defaultLossIsCrossEntropyOverCountedTargets() {
        Prediction p = batch().ignoring(0);
        // counted: (0,0) target 2 with logits (0,0,5); (0,2) target 2 with (0,5,0); (1,0) target 1 with (0,5,0)
        double lse = Math.log(2 + Math.exp(5));
        double expected = ((lse - 5) + (lse - 0) + (lse - 5)) / 3;
        assertThat(p.crossEntropy().item()).isCloseTo((float) expected, within(1e-5f));
    }
}
