package dev.sequor.backend.opencl;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Losses;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import dev.sequor.optim.Clip;
import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real training loop on the OpenCL backend (two layers, cross-entropy, clipping, Adam), each step
 * in its own scope: after the first step has created gradients and optimizer state, the number of
 * live device buffers must stay exactly where it is, and learning must happen.
 */
class TrainingLoopLeakTest {

    @Test
    void liveBuffersReturnToBaselineEveryStepAndTheLossFalls() {
        Backend be = OpenClTestSupport.backend();
        Linear l1 = new Linear(be, 8, 16, true, Seed.of(1));
        Linear l2 = new Linear(be, 16, 3, true, Seed.of(2));
        List<Tensor> params = new ArrayList<>(l1.parameters());
        params.addAll(l2.parameters());
        Adam opt = new Adam(params, AdamConfig.adam(0.05));
        long afterFirstStep = -1;
        float first = Float.NaN;
        float last = Float.NaN;
        for (int step = 0; step < 120; step++) {
            try (var scope = Tensor.scope()) {
                Tensor x = Tensor.normal(be, 0f, 1f, Seed.of(step % 4), 32, 8);                  // (B, 8)
                Tensor y = x.narrow(1, 0, 3).argmax(1, false);                           // (B): class of the largest of 3
                Tensor loss = Losses.crossEntropy(l2.forward(l1.forward(x).tanh()), y);
                opt.zeroGrad();
                loss.backward();
                Clip.clipGradNorm(params, 5.0, 2.0);
                opt.step();
                float v = loss.item();
                first = step == 0 ? v : first;
                last = v;
            }
            if (step == 0) {
                afterFirstStep = be.liveBuffers();
            } else {
                assertThat(be.liveBuffers()).as("live OpenCL buffers after step " + step).isEqualTo(afterFirstStep);
            }
        }
        assertThat(last).isLessThan(first / 2);
    }
}
