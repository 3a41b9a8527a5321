package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Edge cases of the fused kernel: masked rows, dropout, causal alignment, and bad input. */
class ScaledDotProductAttentionTest {

    private final Backend be = Backends.get("reference");

    @Test
    void fullyMaskedQueryGivesZerosAndFiniteGradients() {
        try (Scope s = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(1), 1, 1, 3, 4).requiresGrad(true);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(2), 1, 1, 4, 4).requiresGrad(true);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(3), 1, 1, 4, 4).requiresGrad(true);
            Mask keep = Mask.keepWhere(Tensor.of(be, new float[] {1, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0}, 3, 4));
            Tensor out = ScaledDotProductAttention.apply(q, k, v, keep, false, 0f, Seed.of(0L));
            float[] o = out.toFloatArray();
            for (int c = 0; c < 4; c++) {
                assertThat(o[4 + c]).as("masked row, column %d", c).isEqualTo(0f);
                assertThat(o[c]).isNotEqualTo(0f);
            }
            Tensor w = ScaledDotProductAttention.weights(q, k, keep, false, 0.5f);
            assertThat(w.toFloatArray()).containsExactly(w.toFloatArray()[0], w.toFloatArray()[1], 0, w.toFloatArray()[3],
                    0, 0, 0, 0, 1, 0, 0, 0);
            out.sum().add(w.sum()).backward();
            for (Tensor t : List.of(q, k, v)) {
                for (float g : t.grad().toFloatArray()) {
                    assertThat(g).isFinite();
                }
            }
            float[] gq = q.grad().toFloatArray();
            assertThat(new float[] {gq[4], gq[5], gq[6], gq[7]}).containsOnly(0f);
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesWithMaskCausalAndDropout() {
        try (Scope s = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(4), 2, 2, 3, 4).requiresGrad(true);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(5), 2, 2, 4, 4).requiresGrad(true);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(6), 2, 2, 4, 3).requiresGrad(true);
            Tensor g = Tensor.normal(be, 0, 1, Seed.of(7), 2, 2, 3, 3);
            Mask pad = Mask.keepLengths(be, new int[] {4, 3}, 4);
            Mask mask = Mask.additive(pad.bias().reshape(2, 1, 1, 4));
            GradCheck.check(() -> ScaledDotProductAttention.apply(q, k, v, mask, true, 0.25f, Seed.of(99L)).mul(g).sum(),
                    List.of(q, k, v), 1e-2f, 2e-3);
        }
    }

    @Test
    void dropoutIsSeededAndScalesKeptWeights() {
        try (Scope s = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(4), 1, 8, 4);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(5), 1, 8, 4);
            Tensor v = Tensor.ones(be, 1, 8, 1);
            float[] a = ScaledDotProductAttention.apply(q, k, v, null, false, 0.5f, Seed.of(3L)).toFloatArray();
            float[] b = ScaledDotProductAttention.apply(q, k, v, null, false, 0.5f, Seed.of(3L)).toFloatArray();
            float[] c = ScaledDotProductAttention.apply(q, k, v, null, false, 0.5f, Seed.of(4L)).toFloatArray();
            float[] none = ScaledDotProductAttention.apply(q, k, v, null, false, 0f, Seed.of(3L)).toFloatArray();
            assertThat(a).containsExactly(b);
            assertThat(a).isNotEqualTo(c);
            // with v = 1 the output is the kept weight mass / (1 - p); without dropout it is exactly 1
            for (float x : none) {
                assertThat(x).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
            }
            assertThat(a).isNotEqualTo(none);
        }
    }

    @Test
    void causalIsAlignedToTheLastKeySoOneNewQuerySeesEverything() {
        try (Scope s = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(8), 2, 3, 5, 4);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(9), 2, 3, 5, 4);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(10), 2, 3, 5, 4);
            Tensor full = ScaledDotProductAttention.apply(q, k, v, null, true, 0f, Seed.of(0L));
            Tensor byMask = ScaledDotProductAttention.apply(q, k, v, Mask.causal(be, 5, 5), false, 0f, Seed.of(0L));
            Golden.assertArrayClose("causal flag vs causal mask", byMask.toFloatArray(), full.toFloatArray(), 0);
            // the last two queries alone, against all five keys, give the last two rows of the full result
            Tensor tail = ScaledDotProductAttention.apply(q.narrow(2, 3, 2), k, v, null, true, 0f, Seed.of(0L));
            Golden.assertArrayClose("incremental causal rows", full.narrow(2, 3, 2).toFloatArray(), tail.toFloatArray(), 1e-6);
        }
    }

    @Test
    void badShapesAreNamed() {
        try (Scope s = Tensor.scope()) {
            Tensor q = Tensor.zeros(be, 2, 3, 4);
            assertThatThrownBy(() -> ScaledDotProductAttention.apply(q, Tensor.zeros(be, 2, 5, 4), Tensor.zeros(be, 2, 6, 4),
                    null, false, 0f, Seed.of(0L)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[2, 5, 4]").hasMessageContaining("[2, 6, 4]").hasMessageContaining("lengths");
            assertThatThrownBy(() -> ScaledDotProductAttention.apply(q, Tensor.zeros(be, 2, 5, 3), Tensor.zeros(be, 2, 5, 4),
                    null, false, 0f, Seed.of(0L))).hasMessageContaining("[2, 5, 3]");
            Mask wrong = Mask.keepWhere(Tensor.ones(be, 3, 4));
            assertThatThrownBy(() -> ScaledDotProductAttention.apply(q, Tensor.zeros(be, 2, 5, 4), Tensor.zeros(be, 2, 5, 4),
                    wrong, false, 0f, Seed.of(0L)))
                    .hasMessageContaining("Mask.keepWhere[3, 4]").hasMessageContaining("[2, 3, 5]");
            assertThatThrownBy(() -> Mask.keepWhere(Tensor.of(be, new float[] {0, 0.5f}, 2)))
                    .hasMessageContaining("0.5").hasMessageContaining("Mask.additive");
        }
    }
}
