package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Bahdanau and Luong attention and hard attention: hand-computed cases and finite differences. */
class ScoredAttentionTest {

    private final Backend be = Backends.get("reference");

    @Test
    void dotAttentionByHandWithAndWithoutMask() {
        try (Scope s = Tensor.scope()) {
            Tensor q = Tensor.of(be, new float[] {1, 0}, 1, 2);
            Tensor k = Tensor.of(be, new float[] {1, 0, 0, 1, 2, 0}, 1, 3, 2);
            Tensor v = Tensor.of(be, new float[] {1, 2, 4}, 1, 3, 1);
            AttentionOutput out = new DotAttention(be).forward(q, k, v, null);
            double e = Math.E;
            double z = e + 1 + e * e;
            assertThat(out.weights().shape()).containsExactly(1, 3);
            assertThat(out.weights().toFloatArray()[2]).isCloseTo((float) (e * e / z), within(1e-6f));
            assertThat(out.output().shape()).containsExactly(1, 1);
            assertThat(out.output().item()).isCloseTo((float) ((e + 2 + 4 * e * e) / z), within(1e-5f));
            Mask keep = Mask.keepWhere(Tensor.of(be, new float[] {1, 1, 0}, 1, 3));
            AttentionOutput masked = new DotAttention(be).forward(q, k, v, keep);
            assertThat(masked.weights().toFloatArray()).containsExactly(new float[] {(float) (e / (e + 1)),
                (float) (1 / (e + 1)), 0f}, within(1e-6f));
            assertThat(masked.output().item()).isCloseTo((float) ((e + 2) / (e + 1)), within(1e-6f));
        }
    }

    @Test
    void additiveAttentionByHand() {
        try (Scope s = Tensor.scope()) {
            AdditiveAttention att = new AdditiveAttention(be, 1, 1, 1, Seed.of(0));
            att.namedParameters().get("W_a").assign(Tensor.of(be, new float[] {1}, 1, 1));
            att.namedParameters().get("U_a").assign(Tensor.of(be, new float[] {2}, 1, 1));
            att.namedParameters().get("v_a").assign(Tensor.of(be, new float[] {3}, 1));
            Tensor h = Tensor.of(be, new float[] {0, 1, -1}, 1, 3, 1);
            AttentionOutput out = att.forward(Tensor.of(be, new float[] {0.5f}, 1, 1), h);
            double[] e = {3 * Math.tanh(0.5), 3 * Math.tanh(2.5), 3 * Math.tanh(-1.5)};
            double z = Math.exp(e[0]) + Math.exp(e[1]) + Math.exp(e[2]);
            float[] w = out.weights().toFloatArray();
            for (int j = 0; j < 3; j++) {
                assertThat(w[j]).isCloseTo((float) (Math.exp(e[j]) / z), within(1e-6f));
            }
            assertThat(out.output().item()).isCloseTo((float) ((Math.exp(e[1]) - Math.exp(e[2])) / z), within(1e-6f));
            assertThat(att.namedParameters().keySet()).containsExactly("W_a", "U_a", "v_a");
        }
    }

    @Test
    void generalWithIdentityIsDot() {
        try (Scope s = Tensor.scope()) {
            GeneralAttention general = new GeneralAttention(be, 3, 3, Seed.of(0));
            general.namedParameters().get("W_a").assign(Tensor.of(be, new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3));
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(1), 2, 4, 3);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(2), 2, 5, 3);
            float[] a = general.forward(q, k).output().toFloatArray();
            float[] b = new DotAttention(be).forward(q, k).output().toFloatArray();
            Golden.assertArrayClose("general(I) vs dot", b, a, 1e-6);
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesWithPaddingAndAFullyMaskedSequence() {
        try (Scope s = Tensor.scope()) {
            AdditiveAttention additive = new AdditiveAttention(be, 3, 4, 5, Seed.of(7));
            GeneralAttention general = new GeneralAttention(be, 3, 4, Seed.of(8));
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(3), 2, 2, 3).requiresGrad(true);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(4), 2, 4, 4).requiresGrad(true);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(5), 2, 4, 2).requiresGrad(true);
            Tensor g = Tensor.normal(be, 0, 1, Seed.of(6), 2, 2, 2);
            Mask pad = Mask.keepLengths(be, new int[] {3, 0}, 4); // sequence 1 has no keys at all
            for (ScoredAttention att : List.of(additive, general)) {
                AttentionOutput out = att.forward(q, k, v, pad);
                assertThat(out.output().narrow(0, 1, 1).toFloatArray()).containsOnly(0f);
                List<Tensor> leaves = new ArrayList<>(List.of(q, k, v));
                leaves.addAll(att.parameters());
                GradCheck.check(() -> att.forward(q, k, v, pad).output().mul(g).sum()
                        .add(att.forward(q, k, v, pad).weights().square().sum()), leaves, 1e-2f, 2e-3);
            }
        }
    }

    @Test
    void hardAttentionPicksTheFirstBestVisibleKey() {
        try (Scope s = Tensor.scope()) {
            Tensor q = Tensor.of(be, new float[] {1, 0, 1, 0, 1, 0}, 3, 2);
            Tensor k = Tensor.of(be, new float[] {1, 0, 1, 0, 0, 1}, 1, 3, 2).expand(3, 3, 2);
            Tensor v = Tensor.of(be, new float[] {10, 20, 30}, 1, 3, 1).expand(3, 3, 1);
            Mask keep = Mask.keepWhere(Tensor.of(be, new float[] {1, 1, 1, 0, 1, 1, 0, 0, 0}, 3, 3));
            AttentionOutput out = new DotAttention(be).forwardHard(q, k, v, keep);
            assertThat(out.weights().toFloatArray()).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 0);
            assertThat(out.output().toFloatArray()).containsExactly(10, 20, 0);
        }
    }

    @Test
    void badShapesAreNamed() {
        try (Scope s = Tensor.scope()) {
            Tensor q = Tensor.zeros(be, 2, 3);
            assertThatThrownBy(() -> new DotAttention(be).forward(q, Tensor.zeros(be, 2, 4, 5)))
                    .hasMessageContaining("[2, 3]").hasMessageContaining("[2, 4, 5]");
            assertThatThrownBy(() -> new DotAttention(be).forward(q, Tensor.zeros(be, 2, 4, 3), Tensor.zeros(be, 2, 5, 3), null))
                    .hasMessageContaining("[2, 4, 3]").hasMessageContaining("[2, 5, 3]").hasMessageContaining("length");
            assertThatThrownBy(() -> new AdditiveAttention(be, 4, 3, 2, Seed.of(0)).forward(q, Tensor.zeros(be, 2, 4, 3)))
                    .hasMessageContaining("query width 4");
            Mask wrong = Mask.keepWhere(Tensor.ones(be, 2, 5));
            assertThatThrownBy(() -> new DotAttention(be).forward(q, Tensor.zeros(be, 2, 4, 3), Tensor.zeros(be, 2, 4, 3), wrong))
                    .hasMessageContaining("[2, 5]").hasMessageContaining("[2, 1, 4]");
        }
    }
}
