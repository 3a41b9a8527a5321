package dev.sequor.optim;

import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Learning-rate schedules against hand-computed values, driven as in PyTorch: step() after optimizer.step(). */
class LrSchedulerTest {

    private static Sgd sgd(double lr) {
        return new Sgd(List.of(Tensor.zeros(Backends.get("reference"), 1).requiresGrad(true)), SgdConfig.of(lr));
    }

    @Test
    void stepLrDecaysEveryStepSizeEpochs() {
        Sgd opt = sgd(1.0);
        StepLr s = new StepLr(opt, 3, 0.5);
        double[] expected = {1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25};
        for (int e = 0; e < expected.length; e++) {
            assertThat(opt.lr()).as("epoch %d", e).isCloseTo(expected[e], within(1e-15));
            opt.step(); // no gradient: a no-op, as a training loop would call it
            s.step();
        }
        assertThat(s.epoch()).isEqualTo(expected.length);
    }

    @Test
    void cosineAnnealingClosedForm() {
        Sgd opt = sgd(0.1);
        CosineAnnealingLr s = new CosineAnnealingLr(opt, 4, 0.01);
        // eta_min + (0.1 - 0.01) (1 + cos(pi e / 4)) / 2
        double[] expected = {0.1, 0.01 + 0.09 * (1 + Math.sqrt(0.5)) / 2, 0.055, 0.01 + 0.09 * (1 - Math.sqrt(0.5)) / 2,
            0.01, 0.01 + 0.09 * (1 - Math.sqrt(0.5)) / 2};
        for (int e = 0; e < expected.length; e++) {
            assertThat(opt.lr()).as("epoch %d", e).isCloseTo(expected[e], within(1e-15));
            s.step();
        }
    }

    @Test
    void linearWarmupThenCosine() {
        Sgd opt = sgd(1.0);
        LinearWarmup w = new LinearWarmup(4, new CosineAnnealingLr(opt, 10, 0));
        for (int e = 0; e < 8; e++) {
            double cosine = (1 + Math.cos(Math.PI * e / 10)) / 2;
            assertThat(opt.lr()).as("epoch %d", e).isCloseTo(cosine * Math.min(1, (e + 1) / 4.0), within(1e-15));
            w.step();
        }
        assertThat(w.lrAt(0)).isEqualTo(0.25);
    }

    @Test
    void resumingSetsTheEpoch() {
        Sgd opt = sgd(1.0);
        StepLr s = new StepLr(opt, 2, 0.1);
        s.setEpoch(5);
        assertThat(opt.lr()).isCloseTo(0.01, within(1e-15));
        assertThatThrownBy(() -> new StepLr(opt, 0, 0.1)).hasMessageContaining("stepSize");
        assertThatThrownBy(() -> new CosineAnnealingLr(opt, 0, 0)).hasMessageContaining("tMax");
    }
}
