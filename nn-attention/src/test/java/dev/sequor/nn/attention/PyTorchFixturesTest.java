package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MultiHeadAttention, scaled dot-product attention and the Transformer layers against the shared
 * PyTorch fixtures of tools/golden/gen_attention.py (keys in tools/golden/README.md): forward to
 * 1e-5, gradients of inputs and every parameter to 1e-4.
 */
class PyTorchFixturesTest {

    private final Backend be = Backends.get("reference");

    private void load(Golden g, Module m) {
        Map<String, Tensor> state = g.withPrefix(be, "param.");
        assertThat(m.stateDict().keySet()).containsExactlyInAnyOrderElementsOf(state.keySet());
        m.loadStateDict(state, true);
    }

    private Map<String, Tensor> leaves(Golden g, String... names) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, g.tensor(be, "input." + n).requiresGrad(true));
        }
        return out;
    }

    /** Checks the output, seeds the backward with input.doutput and checks input and parameter gradients. */
    private void checkOutputAndGradients(Golden g, Tensor out, Map<String, Tensor> inputs, Module m) {
        g.assertClose("output.output", out, 1e-5);
        out.mul(g.tensor(be, "input.doutput")).sum().backward();
        inputs.forEach((k, t) -> g.assertClose("grad." + k, t.grad(), 1e-4));
        if (m != null) {
            m.namedParameters().forEach((k, p) -> g.assertClose("grad." + k, p.grad(), 1e-4));
        }
    }

    private Mask ignore(Golden g, String key) {
        return g.has(key) ? Mask.ignoreWhere(g.tensor(be, key)) : null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mha_self", "mha_cross_kdim_vdim", "mha_key_padding_mask", "mha_causal",
        "mha_cross_padding_causal"})
    void multiHeadAttention(String file) {
        Golden g = new Golden(file + ".safetensors");
        try (Scope s = Tensor.scope()) {
            int kdim = g.shape("input.key")[2];
            int vdim = g.shape("input.value")[2];
            MultiHeadAttention mha = new MultiHeadAttention(be, MultiHeadAttentionConfig.of(8, 2).withKvDims(kdim, vdim));
            load(g, mha);
            Map<String, Tensor> in = leaves(g, "query", "key", "value");
            boolean perHead = g.shape("output.attn_weights").length == 4;
            AttentionConfig opts = new AttentionConfig(ignore(g, "input.key_padding_mask"), ignore(g, "input.attn_mask"),
                    false, perHead ? AttentionConfig.Weights.PER_HEAD : AttentionConfig.Weights.AVERAGED);
            AttentionOutput out = mha.forward(in.get("query"), in.get("key"), in.get("value"), opts);
            g.assertClose("output.attn_weights", out.weights(), 1e-5);
            checkOutputAndGradients(g, out.output(), in, mha);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdpa", "sdpa_causal", "sdpa_bool_mask"})
    void scaledDotProductAttention(String file) {
        Golden g = new Golden(file + ".safetensors");
        try (Scope s = Tensor.scope()) {
            Map<String, Tensor> in = leaves(g, "query", "key", "value");
            // F.scaled_dot_product_attention's boolean mask means "may attend": keepWhere
            Mask keep = g.has("input.attn_mask") ? Mask.keepWhere(g.tensor(be, "input.attn_mask")) : null;
            boolean causal = file.equals("sdpa_causal");
            Tensor out = ScaledDotProductAttention.apply(in.get("query"), in.get("key"), in.get("value"), keep, causal, 0f, Seed.of(0L));
            Tensor w = ScaledDotProductAttention.weights(in.get("query"), in.get("key"), keep, causal,
                    (float) (1 / Math.sqrt(8)));
            g.assertClose("output.attn_weights", w, 1e-5);
            checkOutputAndGradients(g, out, in, null);
        }
    }

    private static TransformerConfig layerConfig(String file) {
        return TransformerConfig.of(8, 2).withDimFeedforward(16).withDropout(0f)
                .withNormFirst(file.contains("_pre_"))
                .withActivation(file.contains("gelu") ? TransformerConfig.Activation.GELU : TransformerConfig.Activation.RELU);
    }

    @ParameterizedTest
    @ValueSource(strings = {"encoder_post_relu", "encoder_post_gelu", "encoder_pre_relu", "encoder_pre_gelu",
        "encoder_post_relu_masked"})
    void transformerEncoderLayer(String file) {
        Golden g = new Golden(file + ".safetensors");
        try (Scope s = Tensor.scope()) {
            TransformerEncoderLayer layer = new TransformerEncoderLayer(be, layerConfig(file));
            load(g, layer);
            Map<String, Tensor> in = leaves(g, "src");
            AttentionConfig opts = new AttentionConfig(ignore(g, "input.src_key_padding_mask"), ignore(g, "input.src_mask"),
                    false, AttentionConfig.Weights.NONE);
            checkOutputAndGradients(g, layer.forward(in.get("src"), opts), in, layer);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"decoder_post_relu", "decoder_post_gelu", "decoder_pre_relu", "decoder_pre_gelu"})
    void transformerDecoderLayer(String file) {
        Golden g = new Golden(file + ".safetensors");
        for (boolean causalFlag : new boolean[] {false, true}) {
            try (Scope s = Tensor.scope()) {
                TransformerDecoderLayer layer = new TransformerDecoderLayer(be, layerConfig(file));
                load(g, layer);
                Map<String, Tensor> in = leaves(g, "tgt", "memory");
                // the fixture's tgt_mask is the causal mask: as a mask and as the flag, the same result
                AttentionConfig self = causalFlag ? AttentionConfig.NONE.withCausal(true)
                        : AttentionConfig.NONE.withAttention(ignore(g, "input.tgt_mask"));
                AttentionConfig cross = AttentionConfig.NONE.withKeyPadding(ignore(g, "input.memory_key_padding_mask"));
                checkOutputAndGradients(g, layer.forward(in.get("tgt"), in.get("memory"), self, cross), in, layer);
            }
        }
    }
}
