package dev.sequor.nn.attention;

import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link MultiHeadAttentionConfig#window()}: a windowed layer equals the same weights with global
 * attention under an explicit band attention mask, on the tensor-op windowed path and on the fused windowed kernel.
 */
class WindowedMultiHeadAttentionTest {

    private final Backend be = Backends.get("reference");

    /** The band {@code -left <= j - i <= right} as an explicit {@code (L, L)} attention mask. */
    private Mask band(int l, int left, int right) {
        float[] keep = new float[l * l];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < l; j++) {
                keep[i * l + j] = j - i >= -left && j - i <= right ? 1f : 0f;
            }
        }
        return Mask.keepWhere(Tensor.of(be, keep, l, l));
    }

    private void compare(boolean causal, AttentionConfig extra, int w) {
        try (Scope sc = Tensor.scope()) {
            MultiHeadAttentionConfig cfg = MultiHeadAttentionConfig.of(8, 2).withSeed(Seed.of(5));
            MultiHeadAttention global = new MultiHeadAttention(be, cfg);
            MultiHeadAttention windowed = new MultiHeadAttention(be, cfg.withWindow(w));
            int l = 10;
            Tensor x = Tensor.normal(be, 0, 1, Seed.of(6), 2, l, 8).requiresGrad(true);
            Tensor g = Tensor.normal(be, 0, 1, Seed.of(7), 2, l, 8);
            AttentionConfig opts = extra.withCausal(causal);
            Tensor a = windowed.forward(x, x, x, opts).output();
            a.mul(g).sum().backward();
            float[] gw = x.grad().toFloatArray();
            x.zeroGrad();
            Tensor b = global.forward(x, x, x, opts.withAttention(band(l, w - 1, causal ? 0 : w - 1))).output();
            b.mul(g).sum().backward();
            String what = "window " + w + (causal ? " causal" : "") + " " + opts;
            Golden.assertArrayClose("output, " + what, b.toFloatArray(), a.toFloatArray(), 1e-5);
            Golden.assertArrayClose("input gradient, " + what, x.grad().toFloatArray(), gw, 1e-5);
        }
    }

    @Test
    void windowedLayerEqualsGlobalAttentionUnderTheBandMask() {
        compare(true, AttentionConfig.NONE, 3);
        compare(false, AttentionConfig.NONE, 2);
        compare(true, AttentionConfig.NONE, 1);
        compare(true, AttentionConfig.NONE, 40);
    }

    @Test
    void withKeyPaddingTheLayerRunsTheFusedWindowedKernelAndStillAgrees() {
        Mask pad = Mask.keepLengths(be, new int[] {10, 4}, 10);
        compare(true, AttentionConfig.NONE.withKeyPadding(pad), 3);
        compare(false, AttentionConfig.NONE.withKeyPadding(pad), 2);
    }

    @Test
    void negativeWindowIsRejected() {
        assertThatThrownBy(() -> MultiHeadAttentionConfig.of(8, 2).withWindow(-1)).hasMessageContaining("window must be >= 0");
    }
}
