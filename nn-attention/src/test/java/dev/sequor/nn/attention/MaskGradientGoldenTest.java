package dev.sequor.nn.attention;

import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A float mask that requires a gradient gets PyTorch's gradient (tools/golden/attention_mask_grad.py): a
 * relative-position bias, a full mask with excluded keys, a mask under the causal flag, a per-key bias
 * in rank 3, and learned masks in MultiheadAttention.
 */
class MaskGradientGoldenTest {

    private static final Golden GOLDEN = new Golden("attention_mask_grad.safetensors");
    private final Backend be = Backends.get("reference");

    @ParameterizedTest
    @ValueSource(strings = {"relpos", "full", "causal", "rank3"})
    void scaledDotProductAttentionMaskGradientMatchesPyTorch(String name) {
        try (Scope s = Tensor.scope()) {
            Tensor q = GOLDEN.tensor(be, name + ".q").requiresGrad(true);
            Tensor k = GOLDEN.tensor(be, name + ".k").requiresGrad(true);
            Tensor v = GOLDEN.tensor(be, name + ".v").requiresGrad(true);
            Tensor bias = GOLDEN.tensor(be, name + ".mask_add").requiresGrad(true);
            Tensor out = ScaledDotProductAttention.apply(q, k, v, Mask.additive(bias), name.equals("causal"), 0f,
                    Seed.of(0L));
            GOLDEN.assertClose(name + ".out", out, 1e-5);
            out.mul(GOLDEN.tensor(be, name + ".gout")).sum().backward();
            GOLDEN.assertClose(name + ".grad.mask_add", bias.grad(), 1e-4);
            GOLDEN.assertClose(name + ".grad.q", q.grad(), 1e-4);
            GOLDEN.assertClose(name + ".grad.k", k.grad(), 1e-4);
            GOLDEN.assertClose(name + ".grad.v", v.grad(), 1e-4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"relpos", "causal"})
    void returnedWeightsPassTheMaskGradientToo(String name) {
        try (Scope s = Tensor.scope()) {
            Tensor q = GOLDEN.tensor(be, name + ".q");
            Tensor k = GOLDEN.tensor(be, name + ".k");
            Tensor v = GOLDEN.tensor(be, name + ".v");
            Tensor bias = GOLDEN.tensor(be, name + ".mask_add").requiresGrad(true);
            float scale = (float) (1.0 / Math.sqrt(q.size(-1)));
            Tensor out = ScaledDotProductAttention.weights(q, k, Mask.additive(bias), name.equals("causal"), scale)
                    .matmul(v);
            out.mul(GOLDEN.tensor(be, name + ".gout")).sum().backward();
            GOLDEN.assertClose(name + ".grad.mask_add", bias.grad(), 1e-4);
        }
    }

    @Test
    void multiHeadAttentionLearnedSharedMask() {
        try (Scope s = Tensor.scope()) {
            MultiHeadAttention mha = load("mha_shared");
            Tensor x = GOLDEN.tensor(be, "mha_shared.x").requiresGrad(true);
            Tensor bias = GOLDEN.tensor(be, "mha_shared.mask_add").requiresGrad(true);
            Tensor out = mha.forward(x, x, x, AttentionConfig.NONE.withAttention(Mask.additive(bias))).output();
            check("mha_shared", mha, out, bias, Map.of("x", x));
        }
    }

    @Test
    void multiHeadAttentionPerHeadMaskWithKeyPadding() {
        try (Scope s = Tensor.scope()) {
            MultiHeadAttention mha = load("mha_perhead");
            Tensor q = GOLDEN.tensor(be, "mha_perhead.query").requiresGrad(true);
            Tensor k = GOLDEN.tensor(be, "mha_perhead.key").requiresGrad(true);
            Tensor v = GOLDEN.tensor(be, "mha_perhead.value").requiresGrad(true);
            Tensor bias = GOLDEN.tensor(be, "mha_perhead.mask_add").requiresGrad(true);
            AttentionConfig opts = AttentionConfig.NONE.withAttention(Mask.additive(bias))
                    .withKeyPadding(Mask.ignoreWhere(GOLDEN.tensor(be, "mha_perhead.key_padding_ignore")));
            Tensor out = mha.forward(q, k, v, opts).output();
            check("mha_perhead", mha, out, bias, Map.of("query", q, "key", k, "value", v));
        }
    }

    private MultiHeadAttention load(String name) {
        MultiHeadAttention mha = new MultiHeadAttention(be, MultiHeadAttentionConfig.of(8, 2));
        Map<String, Tensor> state = GOLDEN.withPrefix(be, name + ".param.");
        assertThat(mha.stateDict().keySet()).containsExactlyInAnyOrderElementsOf(state.keySet());
        mha.loadStateDict(state, true);
        return mha;
    }

    private void check(String name, MultiHeadAttention mha, Tensor out, Tensor bias, Map<String, Tensor> inputs) {
        GOLDEN.assertClose(name + ".out", out, 1e-5);
        out.mul(GOLDEN.tensor(be, name + ".gout")).sum().backward();
        GOLDEN.assertClose(name + ".grad.mask_add", bias.grad(), 1e-4);
        inputs.forEach((key, t) -> GOLDEN.assertClose(name + ".grad." + key, t.grad(), 1e-4));
        mha.namedParameters().forEach((key, p) -> GOLDEN.assertClose(name + ".grad.param." + key, p.grad(), 1e-4));
    }
}
