package dev.sequor.nn.recurrent;

import dev.sequor.core.Backends;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Losses;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import dev.sequor.spi.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A training loop written without {@link Tensor#scope()}: an LSTM 8 -> 32 and a linear head, batch
 * 16, T 20, Adam, 2,000 steps. Every tensor is left to the garbage collector, so the Cleaner runs
 * while graphs are being built and walked; it must never free what a recorded backward still reads
 * (this loop used to die between steps 500 and 1000 with "copyStrided: buffer src is closed").
 * Surefire runs this class in its own JVM with {@code -Xmx64m} (see the pom), so memory must also
 * stay flat: buffers nobody references must really be reclaimed (on OpenCL, device memory too).
 * OpenCL is skipped where no platform is found, unless {@code SEQUOR_REQUIRE_OPENCL=1} (as in CI).
 */
class UnscopedTrainingTest {

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu-simd", "opencl"})
    void twoThousandUnscopedStepsTrainWithFlatMemory(String name) throws InterruptedException {
        boolean found = Backends.available().stream().anyMatch(i -> i.name().equals(name) && i.status().available());
        if (!"1".equals(System.getenv("SEQUOR_REQUIRE_OPENCL"))) {
            assumeTrue(found, name + " is not available here: " + Backends.available());
        }
        Backend be = Backends.get(name);
        // The backend is shared with earlier tests in this JVM: let their garbage go first, so the count below
        // measures this loop only.
        long before = settledLiveBuffers(be);
        var lstm = new Lstm(be, LstmConfig.of(8, 32));
        var head = new Linear(be, 32, 2, true, Seed.of(7));
        var params = new ArrayList<>(lstm.parameters());
        params.addAll(head.parameters());
        var opt = new Adam(params, AdamConfig.adam(1e-2));
        double firstLosses = 0;
        double lastLosses = 0;
        int steps = 2000;
        for (int step = 0; step < steps; step++) {
            Tensor x = Tensor.normal(be, 0f, 1f, Seed.of(step), 16, 20, 8);                          // (B, T, 8)
            Tensor y = x.sum(new int[] {1, 2}, false).gt(Tensor.scalar(be, 0f));            // (B): sum > 0
            Tensor logits = head.forward(lstm.forward(x).output().select(1, 19));           // (B, 2)
            Tensor loss = Losses.crossEntropy(logits, y);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            float v = loss.item();
            assertThat(v).as("loss at step %d", step).isFinite();
            if (step < 100) {
                firstLosses += v;
            } else if (step >= steps - 100) {
                lastLosses += v;
            }
        }
        assertThat(lastLosses).as("mean loss of the last 100 steps vs the first 100").isLessThan(firstLosses / 2);
        // State that outlives the loop: parameters, their gradients and Adam's two moments.
        long kept = be.liveBuffers() - before;
        assertThat(kept).as("live buffers right after the loop").isPositive();
        long floor = before + 4L * params.size();
        for (int i = 0; i < 200 && be.liveBuffers() > floor; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(be.liveBuffers()).as("live buffers once the collector has run (parameters, grads, moments)")
                .isLessThanOrEqualTo(floor);
        java.lang.ref.Reference.reachabilityFence(opt);   // its moments are part of the floor above
    }

    private static long settledLiveBuffers(Backend be) throws InterruptedException {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 100 && be.liveBuffers() < last; i++) {
            last = be.liveBuffers();
            System.gc();
            Thread.sleep(20);
        }
        return be.liveBuffers();
    }
}
