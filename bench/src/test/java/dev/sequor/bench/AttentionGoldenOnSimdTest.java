package dev.sequor.bench;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsFile;
import dev.sequor.nn.Module;
import dev.sequor.nn.attention.AttentionConfig;
import dev.sequor.nn.attention.AttentionOutput;
import dev.sequor.nn.attention.Mask;
import dev.sequor.nn.attention.MultiHeadAttention;
import dev.sequor.nn.attention.MultiHeadAttentionConfig;
import dev.sequor.nn.attention.ScaledDotProductAttention;
import dev.sequor.nn.attention.TransformerConfig;
import dev.sequor.nn.attention.TransformerEncoderLayer;
import dev.sequor.spi.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nn-attention's PyTorch golden fixtures (nn-attention/src/test/resources/golden, from
 * tools/golden/gen_attention.py) run on {@code cpu-simd}, so its blocked attention kernel is held to
 * PyTorch through the layers, not only to the conformance oracle. The same cases and tolerances as
 * nn-attention's PyTorchFixturesTest (which runs on {@code reference}): forward to 1e-5, gradients of
 * inputs and every parameter to 1e-4, error {@code |a - e| / (1 + |e|)}.
 */
class AttentionGoldenOnSimdTest {

    private static final Path GOLDEN = Path.of("..", "nn-attention", "src", "test", "resources", "golden");
    private final Backend be = Backends.get("cpu-simd");

    @ParameterizedTest
    @ValueSource(strings = {"mha_self", "mha_cross_kdim_vdim", "mha_key_padding_mask", "mha_causal",
        "mha_cross_padding_causal"})
    void multiHeadAttention(String file) {
        SafeTensorsFile g = read(file);
        try (Scope s = Tensor.scope()) {
            int kdim = g.get("input.key").shape()[2];
            int vdim = g.get("input.value").shape()[2];
            MultiHeadAttention mha = new MultiHeadAttention(be,
                    MultiHeadAttentionConfig.of(8, 2).withKvDims(kdim, vdim));
            load(g, mha);
            Map<String, Tensor> in = leaves(g, "query", "key", "value");
            AttentionConfig opts = new AttentionConfig(ignore(g, "input.key_padding_mask"),
                    ignore(g, "input.attn_mask"), false, AttentionConfig.Weights.NONE);
            AttentionOutput out = mha.forward(in.get("query"), in.get("key"), in.get("value"), opts);
            checkOutputAndGradients(g, out.output(), in, mha);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdpa", "sdpa_causal", "sdpa_bool_mask"})
    void scaledDotProductAttention(String file) {
        SafeTensorsFile g = read(file);
        try (Scope s = Tensor.scope()) {
            Map<String, Tensor> in = leaves(g, "query", "key", "value");
            Mask keep = g.contains("input.attn_mask") ? Mask.keepWhere(tensor(g, "input.attn_mask")) : null;
            Tensor out = ScaledDotProductAttention.apply(in.get("query"), in.get("key"), in.get("value"), keep,
                    file.equals("sdpa_causal"), 0f, Seed.of(0L));
            checkOutputAndGradients(g, out, in, null);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"encoder_post_relu", "encoder_pre_gelu", "encoder_post_relu_masked"})
    void transformerEncoderLayer(String file) {
        SafeTensorsFile g = read(file);
        try (Scope s = Tensor.scope()) {
            TransformerConfig config = TransformerConfig.of(8, 2).withDimFeedforward(16).withDropout(0f)
                    .withNormFirst(file.contains("_pre_"))
                    .withActivation(file.contains("gelu") ? TransformerConfig.Activation.GELU
                            : TransformerConfig.Activation.RELU);
            TransformerEncoderLayer layer = new TransformerEncoderLayer(be, config);
            load(g, layer);
            Map<String, Tensor> in = leaves(g, "src");
            AttentionConfig opts = new AttentionConfig(ignore(g, "input.src_key_padding_mask"),
                    ignore(g, "input.src_mask"), false, AttentionConfig.Weights.NONE);
            checkOutputAndGradients(g, layer.forward(in.get("src"), opts), in, layer);
        }
    }

    private void checkOutputAndGradients(SafeTensorsFile g, Tensor out, Map<String, Tensor> inputs, Module m) {
        assertClose(g, "output.output", out, 1e-5);
        out.mul(tensor(g, "input.doutput")).sum().backward();
        inputs.forEach((k, t) -> assertClose(g, "grad." + k, t.grad(), 1e-4));
        if (m != null) {
            m.namedParameters().forEach((k, p) -> assertClose(g, "grad." + k, p.grad(), 1e-4));
        }
    }

    private static SafeTensorsFile read(String file) {
        try {
            return SafeTensors.read(GOLDEN.resolve(file + ".safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Tensor tensor(SafeTensorsFile g, String key) {
        return Tensor.of(be, g.get(key).data(), g.get(key).shape());
    }

    private void load(SafeTensorsFile g, Module m) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String name : g.names()) {
            if (name.startsWith("param.")) {
                state.put(name.substring("param.".length()), tensor(g, name));
            }
        }
        assertThat(m.stateDict().keySet()).containsExactlyInAnyOrderElementsOf(state.keySet());
        m.loadStateDict(state, true);
    }

    private Map<String, Tensor> leaves(SafeTensorsFile g, String... names) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, tensor(g, "input." + n).requiresGrad(true));
        }
        return out;
    }

    private Mask ignore(SafeTensorsFile g, String key) {
        return g.contains(key) ? Mask.ignoreWhere(tensor(g, key)) : null;
    }

    private static void assertClose(SafeTensorsFile g, String key, Tensor actual, double tol) {
        String what = g.source() + ": " + key;
        assertThat(actual).as(what).isNotNull();
        assertThat(actual.backend().name()).as("%s computed on", what).isEqualTo("cpu-simd");
        assertThat(actual.shape()).as("%s shape", what).containsExactly(g.get(key).shape());
        float[] want = g.get(key).data();
        float[] got = actual.toFloatArray();
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(want[i] - got[i]) / (1 + Math.abs(want[i]));
            assertThat(err <= tol).as("%s[%d]: got %s, want %s (error %s > %s)", what, i, got[i], want[i], err, tol)
                    .isTrue();
        }
    }
}
