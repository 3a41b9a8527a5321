package dev.sequor.nn.attention;

import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The blocked windowed attention against global attention ({@link ScaledDotProductAttention}) under the
 * equivalent dense band mask, forward and backward, at the window's edges; and finite differences.
 */
class WindowedAttentionTest {

    private final Backend be = Backends.get("reference");

    /** Forward and all three gradients of windowed vs global attention, for one configuration. */
    private void compare(int batch, int heads, int l, int s, int e, int left, int right, int[] lengths, int block,
                         long seed) {
        try (Scope sc = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(seed), batch, heads, l, e).requiresGrad(true);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(seed + 1), batch, heads, s, e).requiresGrad(true);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(seed + 2), batch, heads, s, e + 1).requiresGrad(true);
            Tensor g = Tensor.normal(be, 0, 1, Seed.of(seed + 3), batch, heads, l, e + 1);
            float scale = 0.7f;
            String what = "L=" + l + " S=" + s + " left=" + left + " right=" + right + " block=" + block;

            Tensor win = WindowedAttention.apply(q, k, v, left, right, lengths, scale, block);
            win.mul(g).sum().backward();
            float[] winOut = win.toFloatArray();
            float[][] winGrads = {q.grad().toFloatArray(), k.grad().toFloatArray(), v.grad().toFloatArray()};
            for (Tensor t : List.of(q, k, v)) {
                t.zeroGrad();
            }

            Mask band = denseBand(batch, l, s, left, right, lengths);
            Tensor global = ScaledDotProductAttention.apply(q, k, v, band, false, 0f, Seed.of(0L), scale).output();
            global.mul(g).sum().backward();
            Golden.assertArrayClose("output " + what, global.toFloatArray(), winOut, 1e-5);
            Golden.assertArrayClose("dq " + what, q.grad().toFloatArray(), winGrads[0], 1e-5);
            Golden.assertArrayClose("dk " + what, k.grad().toFloatArray(), winGrads[1], 1e-5);
            Golden.assertArrayClose("dv " + what, v.grad().toFloatArray(), winGrads[2], 1e-5);
            assertThat(win.shape()).containsExactly(batch, heads, l, e + 1);
        }
    }

    /**
     * The dense {@code (B, 1, L, S)} band, written independently of the code under test: keep key j for
     * query i iff {@code i + S - L - left <= j <= i + S - L + right} and {@code j < lengths[b]}.
     */
    private Mask denseBand(int batch, int l, int s, int left, int right, int[] lengths) {
        float[] keep = new float[batch * l * s];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < l; i++) {
                for (int j = 0; j < s; j++) {
                    long d = (long) j - (i + s - l);
                    boolean in = d >= -(long) left && d <= right && (lengths == null || j < lengths[b]);
                    keep[(b * l + i) * s + j] = in ? 1f : 0f;
                }
            }
        }
        return Mask.keepWhere(Tensor.of(be, keep, batch, 1, l, s));
    }

    @Test
    void causalWindowMatchesGlobalUnderTheBandMaskWithTNotAMultipleOfTheBlock() {
        compare(2, 3, 11, 11, 4, 3, 0, null, 4, 10L);
    }

    @Test
    void twoSidedWindowMatchesGlobal() {
        compare(1, 2, 9, 9, 3, 2, 3, null, 2, 20L);
    }

    @Test
    void windowLargerThanTheSequenceIsGlobalAttention() {
        compare(2, 2, 7, 7, 4, 100, 100, null, 3, 30L);
        compare(1, 1, 6, 6, 4, Integer.MAX_VALUE, 0, null, WindowedAttention.defaultBlock(Integer.MAX_VALUE, 0), 31L);
        // and equals the plain global (unmasked) attention
        try (Scope sc = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(1), 2, 2, 7, 4);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(2), 2, 2, 7, 4);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(3), 2, 2, 7, 4);
            Golden.assertArrayClose("window > T vs unmasked", ScaledDotProductAttention.apply(q, k, v, null, false, 0f, Seed.of(0L))
                    .toFloatArray(), WindowedAttention.apply(q, k, v, 50, 50, null).toFloatArray(), 1e-5);
            Golden.assertArrayClose("causal window > T vs causal", ScaledDotProductAttention.apply(q, k, v, null, true, 0f, Seed.of(0L))
                    .toFloatArray(), WindowedAttention.apply(q, k, v, 50, 0, null).toFloatArray(), 1e-5);
        }
    }

    @Test
    void windowOfOneSeesOnlyItself() {
        compare(1, 2, 5, 5, 3, 0, 0, null, 2, 40L);
        try (Scope sc = Tensor.scope()) {
            // each query sees exactly its own key, so the output is v itself
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(41), 2, 5, 3);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(42), 2, 5, 3);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(43), 2, 5, 2);
            Golden.assertArrayClose("window 1 gives v", v.toFloatArray(),
                    WindowedAttention.apply(q, k, v, 0, 0, null).toFloatArray(), 1e-6);
        }
    }

    @Test
    void lengthsAndAFullyMaskedRowGiveZerosAndMatchGlobal() {
        // sequence 1 has 3 keys; with left=1, right=0 its queries 5.. see keys [i-1, i], all padded: zero rows
        int[] lengths = {9, 3};
        compare(2, 2, 9, 9, 3, 1, 0, lengths, 4, 50L);
        compare(2, 1, 9, 9, 3, 2, 2, new int[] {0, 5}, 3, 51L);
        try (Scope sc = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(52), 2, 1, 9, 3).requiresGrad(true);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(53), 2, 1, 9, 3);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(54), 2, 1, 9, 3);
            Tensor out = WindowedAttention.apply(q, k, v, 1, 0, lengths, 0.5f, 4);
            out.sum().backward();
            float[] o = out.toFloatArray();
            float[] gq = q.grad().toFloatArray();
            for (int i = 4; i < 9; i++) {          // sequence 1, query i >= 4 sees only keys >= 3: all padded
                for (int c = 0; c < 3; c++) {
                    int at = (9 + i) * 3 + c;
                    assertThat(o[at]).as("masked row %d", i).isEqualTo(0f);
                    assertThat(gq[at]).as("masked row gradient %d", i).isEqualTo(0f);
                }
            }
            for (float x : gq) {
                assertThat(x).isFinite();
            }
        }
    }

    @Test
    void fewerQueriesThanKeysAreAlignedToTheLastKey() {
        // as a decoding step: 3 new queries over 8 keys, the window aligned so the last query meets the last key
        compare(1, 2, 3, 8, 4, 2, 0, null, 2, 60L);
        compare(1, 1, 3, 8, 4, 1, 1, new int[] {7}, 2, 61L);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        try (Scope sc = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(70), 2, 5, 3).requiresGrad(true);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(71), 2, 5, 3).requiresGrad(true);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(72), 2, 5, 2).requiresGrad(true);
            Tensor g = Tensor.normal(be, 0, 1, Seed.of(73), 2, 5, 2);
            GradCheck.check(() -> WindowedAttention.apply(q, k, v, 2, 1, new int[] {5, 4}, 0.6f, 2).mul(g).sum(),
                    List.of(q, k, v), 1e-2f, 2e-3);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        try (Scope sc = Tensor.scope()) {
            Tensor q = Tensor.zeros(be, 2, 3, 4);
            Tensor kv = Tensor.zeros(be, 2, 5, 4);
            assertThatThrownBy(() -> WindowedAttention.apply(q, Tensor.zeros(be, 2, 5, 3), kv, 1, 0, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 5, 3]");
            assertThatThrownBy(() -> WindowedAttention.apply(q, kv, kv, -1, 0, null)).hasMessageContaining("left=-1");
            assertThatThrownBy(() -> WindowedAttention.apply(q, kv, kv, 1, 0, new int[] {5}))
                    .hasMessageContaining("1 lengths for a batch of 2");
            assertThatThrownBy(() -> WindowedAttention.apply(q, kv, kv, 1, 0, new int[] {5, 6}))
                    .hasMessageContaining("length 6 of sequence 1");
        }
    }
}
