package dev.sequor.nn.attention;

import dev.sequor.core.Backends;
import dev.sequor.core.Grad;
import dev.sequor.core.Scope;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sliding window through the layers: a windowed {@link MultiHeadAttention} with dropout and returned weights
 * (the fused windowed kernel) equals global attention under the band mask, the Transformer layers honour
 * {@link TransformerConfig#window()}, and decoding with a windowed {@link KvCache} equals the full windowed causal
 * forward while the cache stays within the window.
 */
class WindowedTransformerTest {

    private final Backend be = Backends.get("reference");
    private final TransformerConfig small = TransformerConfig.of(8, 2).withDimFeedforward(16).withDropout(0f);

    /** {@code -left <= j - i <= right} as an {@code (L, L)} mask. */
    private Mask band(int l, int left, int right) {
        float[] keep = new float[l * l];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < l; j++) {
                keep[i * l + j] = j - i >= -left && j - i <= right ? 1f : 0f;
            }
        }
        return Mask.keepWhere(Tensor.of(be, keep, l, l));
    }

    @Test
    void windowedLayerWithDropoutAndWeightsEqualsTheBandMaskedGlobalLayer() {
        for (boolean causal : new boolean[] {false, true}) {
            try (Scope sc = Tensor.scope()) {
                MultiHeadAttentionConfig cfg = MultiHeadAttentionConfig.of(8, 2).withSeed(Seed.of(3)).withDropout(0.25f);
                MultiHeadAttention windowed = new MultiHeadAttention(be, cfg.withWindow(3));
                MultiHeadAttention global = new MultiHeadAttention(be, cfg);
                windowed.train();
                global.train();
                int l = 9;
                Tensor x = Tensor.normal(be, 0, 1, Seed.of(4), 2, l, 8).requiresGrad(true);
                Tensor g = Tensor.normal(be, 0, 1, Seed.of(5), 2, l, 8);
                Mask pad = Mask.keepLengths(be, new int[] {9, 5}, l);
                AttentionConfig opts = AttentionConfig.NONE.withCausal(causal).withKeyPadding(pad)
                        .withWeights(AttentionConfig.Weights.PER_HEAD);
                AttentionOutput a = windowed.forward(x, x, x, opts);
                a.output().mul(g).sum().backward();
                float[] ga = x.grad().toFloatArray();
                x.zeroGrad();
                AttentionOutput b = global.forward(x, x, x, opts.withAttention(band(l, 2, causal ? 0 : 2)));
                b.output().mul(g).sum().backward();
                String what = causal ? "causal" : "two-sided";
                Golden.assertArrayClose("output, " + what, b.output().toFloatArray(), a.output().toFloatArray(), 1e-5);
                Golden.assertArrayClose("weights, " + what, b.weights().toFloatArray(), a.weights().toFloatArray(), 1e-6);
                Golden.assertArrayClose("input gradient, " + what, x.grad().toFloatArray(), ga, 1e-5);
            }
        }
    }

    @Test
    void encoderLayerWindowRestrictsSelfAttention() {
        try (Scope sc = Tensor.scope(); Grad g = Grad.disabled()) {
            TransformerEncoderLayer windowed = new TransformerEncoderLayer(be, small.withSeed(Seed.of(8)).withWindow(2));
            TransformerEncoderLayer global = new TransformerEncoderLayer(be, small.withSeed(Seed.of(8)));
            assertThat(windowed.config().window()).isEqualTo(2);
            Tensor x = Tensor.normal(be, 0, 1, Seed.of(9), 2, 7, 8);
            Tensor a = windowed.forward(x);
            Tensor b = global.forward(x, AttentionConfig.NONE.withAttention(band(7, 1, 1)));
            Golden.assertArrayClose("encoder layer", b.toFloatArray(), a.toFloatArray(), 1e-5);
            Tensor unbanded = global.forward(x);
            assertThat(max(unbanded.sub(a).toFloatArray())).as("the window changes the output").isGreaterThan(1e-3f);
        }
    }

    @Test
    void windowedKvCacheDecodingEqualsTheFullWindowedCausalForwardAndStaysBounded() {
        int w = 3;
        int t = 10;
        try (Scope s = Tensor.scope(); Grad g = Grad.disabled()) {
            TransformerDecoder decoder = new TransformerDecoder(be, small.withSeed(Seed.of(6)).withWindow(w), 2, true);
            Tensor tgt = Tensor.normal(be, 0, 1, Seed.of(13), 2, t, 8);
            Tensor memory = Tensor.normal(be, 0, 1, Seed.of(14), 2, 6, 8);
            AttentionConfig memMask = AttentionConfig.NONE.withKeyPadding(Mask.keepLengths(be, new int[] {6, 4}, 6));
            Tensor full = decoder.forward(tgt, memory, AttentionConfig.NONE.withCausal(true), memMask);
            List<Tensor> steps = new ArrayList<>();
            try (KvCache cache = new KvCache()) {
                // token by token, with one two-token step whose first query needs a key the cache then drops
                int[][] chunks = {{0, 1}, {1, 1}, {2, 1}, {3, 1}, {4, 2}, {6, 1}, {7, 1}, {8, 1}, {9, 1}};
                for (int[] c : chunks) {
                    try (Scope step = Tensor.scope()) {
                        steps.add(step.keep(decoder.step(tgt.narrow(1, c[0], c[1]), memory, memMask, cache)));
                    }
                    for (int layer = 0; layer < 2; layer++) {
                        int cached = cache.entry("layers." + layer + ".self_attn", false).length();
                        assertThat(cached).as("self-attention cache after position %d", c[0] + c[1])
                                .isEqualTo(Math.min(w, c[0] + c[1]));
                        assertThat(cache.entry("layers." + layer + ".multihead_attn", true).length())
                                .as("cross-attention keeps the whole memory").isEqualTo(6);
                    }
                }
                assertThat(cache.steps()).isEqualTo(t);
            }
            Tensor incremental = Tensor.concat(1, steps);
            Golden.assertArrayClose("windowed incremental vs full", full.toFloatArray(), incremental.toFloatArray(), 1e-5);
            TransformerDecoder global = new TransformerDecoder(be, small.withSeed(Seed.of(6)), 2, true);
            Tensor unwindowed = global.forward(tgt, memory, AttentionConfig.NONE.withCausal(true), memMask);
            assertThat(max(unwindowed.sub(full).toFloatArray())).as("the window changes the output").isGreaterThan(1e-3f);
        }
    }

    private static float max(float[] x) {
        float m = 0;
        for (float f : x) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }
}
