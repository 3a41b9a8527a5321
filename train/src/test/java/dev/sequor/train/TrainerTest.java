package dev.sequor.train;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Losses;
import dev.sequor.optim.Sgd;
import dev.sequor.optim.SgdConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrainerTest {

    private static Tensor[] data(long seed, int n) {
        java.util.Random r = new java.util.Random(seed);
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(2);
            x[2 * i] = (float) (r.nextGaussian() * 0.5 + (c == 0 ? -1 : 1));
            x[2 * i + 1] = (float) (r.nextGaussian() * 0.5 + (c == 0 ? 1 : -1));
            y[i] = c;
        }
        return new Tensor[] {Tensor.of(x, n, 2), Tensor.of(y, n)};
    }

    @Test
    void fitLowersTheHeldOutLossOfASeparableProblem() {
        Linear model = new Linear(2, 2, Seed.of(3));
        Trainer<Linear, Tensor[]> t = new Trainer<>(model, new Sgd(model, SgdConfig.of(0.5)),
                (m, b) -> Losses.crossEntropy(m.forward(b[0]), b[1]), 5.0);
        List<Tensor[]> train = List.of(data(1, 64), data(2, 64));
        List<Tensor[]> held = java.util.Collections.singletonList(data(9, 128));
        double before = t.evaluate(held);
        t.fit(train, 30);
        double after = t.evaluate(held);
        assertThat(after).isLessThan(0.3).isLessThan(before);
    }
}
