package dev.sequor.nn.attention;

import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** MultiHeadAttention against torch.nn.MultiheadAttention(batch_first=True): outputs, weights, gradients. */
class MultiHeadAttentionGoldenTest {

    private static final Golden GOLDEN = new Golden("attention_mha.safetensors");
    private final Backend be = Backends.get("reference");

    private MultiHeadAttention load(String name, MultiHeadAttentionConfig config) {
        MultiHeadAttention mha = new MultiHeadAttention(be, config);
        Map<String, Tensor> state = GOLDEN.withPrefix(be, name + ".param.");
        assertThat(mha.stateDict().keySet()).containsExactlyInAnyOrderElementsOf(state.keySet());
        mha.loadStateDict(state, true);
        return mha;
    }

    private void checkGrads(String name, MultiHeadAttention mha, AttentionOutput out, Map<String, Tensor> inputs) {
        GOLDEN.assertClose(name + ".out", out.output(), 1e-5);
        GOLDEN.assertClose(name + ".weights", out.weights(), 1e-5);
        out.output().mul(GOLDEN.tensor(be, name + ".gout")).sum().backward();
        inputs.forEach((k, t) -> GOLDEN.assertClose(name + ".grad." + k, t.grad(), 1e-4));
        mha.namedParameters().forEach((k, p) -> GOLDEN.assertClose(name + ".grad.param." + k, p.grad(), 1e-4));
    }

    @Test
    void selfAttentionWithKeyPaddingAndAveragedWeights() {
        try (Scope s = Tensor.scope()) {
            MultiHeadAttention mha = load("self_padding", MultiHeadAttentionConfig.of(8, 2));
            Tensor x = GOLDEN.tensor(be, "self_padding.x").requiresGrad(true);
            Mask pad = Mask.ignoreWhere(GOLDEN.tensor(be, "self_padding.key_padding_ignore"));
            AttentionOutput out = mha.forward(x, x, x, AttentionConfig.NONE.withKeyPadding(pad)
                    .withWeights(AttentionConfig.Weights.AVERAGED));
            checkGrads("self_padding", mha, out, Map.of("x", x));
        }
    }

    @Test
    void causalSelfAttentionByMaskAndByFlagWithPerHeadWeights() {
        for (boolean byFlag : new boolean[] {false, true}) {
            try (Scope s = Tensor.scope()) {
                MultiHeadAttention mha = load("self_causal", MultiHeadAttentionConfig.of(8, 2));
                Tensor x = GOLDEN.tensor(be, "self_causal.x").requiresGrad(true);
                AttentionConfig opts = AttentionConfig.NONE.withWeights(AttentionConfig.Weights.PER_HEAD);
                opts = byFlag ? opts.withCausal(true)
                        : opts.withAttention(Mask.ignoreWhere(GOLDEN.tensor(be, "self_causal.attn_ignore")));
                checkGrads("self_causal", mha, mha.forward(x, x, x, opts), Map.of("x", x));
            }
        }
    }

    @Test
    void crossAttentionWithKdimVdimPaddingAndPerHeadAdditiveMask() {
        try (Scope s = Tensor.scope()) {
            MultiHeadAttention mha = load("cross_kvdim", MultiHeadAttentionConfig.of(8, 2).withKvDims(6, 4));
            Tensor q = GOLDEN.tensor(be, "cross_kvdim.query").requiresGrad(true);
            Tensor k = GOLDEN.tensor(be, "cross_kvdim.key").requiresGrad(true);
            Tensor v = GOLDEN.tensor(be, "cross_kvdim.value").requiresGrad(true);
            AttentionConfig opts = AttentionConfig.NONE
                    .withKeyPadding(Mask.ignoreWhere(GOLDEN.tensor(be, "cross_kvdim.key_padding_ignore")))
                    .withAttention(Mask.additive(GOLDEN.tensor(be, "cross_kvdim.attn_add")))
                    .withWeights(AttentionConfig.Weights.AVERAGED);
            checkGrads("cross_kvdim", mha, mha.forward(q, k, v, opts), Map.of("query", q, "key", k, "value", v));
        }
    }
}
