package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Losses;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's Java example, verbatim between the markers, must keep training. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleLearns() {
        float first = Float.NaN;
        float last = Float.NaN;
        // README-EXAMPLE-BEGIN
        // An LSTM reads a noisy sequence (B, T, 1) and says whether its sum is positive.
        var lstm = new Lstm(LstmConfig.of(1, 32));
        var head = new Linear(32, 2, Seed.of(7));
        var params = new ArrayList<>(lstm.parameters());
        params.addAll(head.parameters());
        var opt = new Adam(params, AdamConfig.adam(1e-2));
        for (int step = 0; step < 150; step++) {
            try (var scope = Tensor.scope()) {
                Tensor x = Tensor.normal(0f, 1f, Seed.of(step), 64, 20, 1);                      // (B, T, 1)
                Tensor y = x.sum(1, false).reshape(64).gt(Tensor.scalar(0f));            // (B): 1 if positive
                Tensor logits = head.forward(lstm.forward(x).output().select(1, 19));   // last step: (B, 2)
                Tensor loss = Losses.crossEntropy(logits, y);
                opt.zeroGrad();
                loss.backward();
                opt.step();
                if (step % 50 == 0 || step == 149) {
                    System.out.printf("step %3d  loss %.4f%n", step, loss.item());
                }
                // README-EXAMPLE-END
                if (step == 0) {
                    first = loss.item();
                }
                last = loss.item();
            }
        }
        assertThat(last).isLessThan(first / 3);
    }
}
