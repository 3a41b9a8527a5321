package dev.sequor.nn;

import dev.sequor.core.Seed;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleSummaryTest {

    @Test
    void listsEveryModuleWithShapesAndCounts() {
        Sequential net = new Sequential(new Linear(4, 8, Seed.of(1)), new Tanh(), new Linear(8, 3, Seed.of(2)), new LayerNorm(3));
        String s = net.summary();
        System.out.println(s);
        assertThat(s).contains("(model) (Sequential)", "Linear", "weight[8, 4]", "bias[8]", "weight[3, 8]");
        long total = net.parameters().stream().mapToLong(t -> t.numel()).sum();
        assertThat(total).isEqualTo(4 * 8 + 8 + 8 * 3 + 3 + 3 + 3);
        assertThat(s).contains("Total params: " + total, "Trainable params: " + total, "Non-trainable params: 0");
        assertThat(s.lines().filter(l -> l.contains("(Linear)"))).hasSize(2);
    }
}
