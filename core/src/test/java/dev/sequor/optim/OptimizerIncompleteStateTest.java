package dev.sequor.optim;

import dev.sequor.core.Backends;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Linear;
import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A state missing a buffer an updated parameter needs is rejected up front, leaving the optimizer as it was. */
class OptimizerIncompleteStateTest {

    private static final Backend BE = Backends.get("reference");

    private static void trainStep(Linear m, Optimizer opt) {
        opt.zeroGrad();
        m.forward(Tensor.ones(BE, 1, 2)).sum().backward();
        opt.step();
    }

    @Test
    void adamStateWithoutTheSecondMomentIsRejectedNamingItAndChangesNothing() {
        Linear m = new Linear(BE, 2, 2, true, Seed.of(3));
        Adam adam = new Adam(m, AdamConfig.adam(0.01));
        trainStep(m, adam);
        trainStep(m, adam);
        Map<String, Tensor> tensors = new LinkedHashMap<>(adam.stateDict().tensors());
        float[] before = tensors.get("weight.exp_avg").toFloatArray();
        tensors.remove("weight.exp_avg_sq");
        tensors.put("weight.exp_avg", Tensor.zeros(BE, 2, 2));
        Map<String, Double> scalars = new LinkedHashMap<>(adam.stateDict().scalars());
        scalars.put("weight.step", 7.0);
        assertThatThrownBy(() -> adam.loadStateDict(new Optimizer.State(tensors, scalars)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing 'weight.exp_avg_sq' for parameter 'weight'")
                .message().doesNotContain("'bias.");
        assertThat(adam.stateDict().tensors().get("weight.exp_avg").toFloatArray()).containsExactly(before);
        assertThat(adam.stateDict().scalars()).containsEntry("weight.step", 2.0);
        trainStep(m, adam); // still usable
    }

    @Test
    void aStepCountWithoutBuffersIsRejectedForEveryMissingName() {
        Linear m = new Linear(BE, 2, 2, true, Seed.of(3));
        Adam ams = new Adam(m, AdamConfig.adam(0.01).withAmsgrad(true));
        assertThatThrownBy(() -> ams.loadStateDict(new Optimizer.State(Map.of(), Map.of("bias.step", 3.0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bias.exp_avg', 'bias.exp_avg_sq', 'bias.max_exp_avg_sq'");
        Sgd sgd = new Sgd(List.of(m.weight()), SgdConfig.of(0.1).withMomentum(0.9));
        assertThatThrownBy(() -> sgd.loadStateDict(new Optimizer.State(Map.of(), Map.of("0.step", 1.0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing '0.momentum_buffer'");
    }

    @Test
    void parametersAbsentFromTheStateAndBufferlessOptimizersStillLoad() {
        Linear m = new Linear(BE, 2, 2, true, Seed.of(3));
        Adam adam = new Adam(m, AdamConfig.adam(0.01));
        adam.loadStateDict(new Optimizer.State(Map.of(), Map.of("lr", 0.5))); // everything starts afresh
        assertThat(adam.lr()).isEqualTo(0.5);
        Sgd plain = new Sgd(m, SgdConfig.of(0.1));
        plain.loadStateDict(new Optimizer.State(Map.of(), Map.of("weight.step", 4.0))); // plain SGD keeps no buffer
        assertThat(plain.stateDict().scalars()).containsEntry("weight.step", 4.0);
    }
}
