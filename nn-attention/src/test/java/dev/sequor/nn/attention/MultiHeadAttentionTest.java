package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MultiHeadAttention behaviour not covered by the golden files: polarity, masked queries, bad input. */
class MultiHeadAttentionTest {

    private final Backend be = Backends.get("reference");

    @Test
    void keepWhereAndIgnoreWhereAreComplementsAndFullyMaskedQueriesOutputTheBias() {
        try (Scope s = Tensor.scope()) {
            MultiHeadAttention mha = new MultiHeadAttention(be, MultiHeadAttentionConfig.of(8, 2).withSeed(Seed.of(3)));
            mha.namedParameters().get("out_proj.bias").assign(Tensor.normal(be, 0, 1, Seed.of(4), 8));
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(5), 2, 3, 8);
            Tensor kv = Tensor.normal(be, 0, 1, Seed.of(6), 2, 4, 8);
            float[] keep = {1, 1, 0, 0, 0, 0, 0, 0};
            float[] ignore = {0, 0, 1, 1, 1, 1, 1, 1};
            Tensor a = mha.forward(q, kv, kv, AttentionConfig.NONE.withKeyPadding(Mask.keepWhere(Tensor.of(be, keep, 2, 4))))
                    .output();
            Tensor b = mha.forward(q, kv, kv, AttentionConfig.NONE.withKeyPadding(Mask.ignoreWhere(Tensor.of(be, ignore, 2, 4))))
                    .output();
            assertThat(a.toFloatArray()).containsExactly(b.toFloatArray());
            float[] out = a.toFloatArray();
            float[] bias = mha.namedParameters().get("out_proj.bias").toFloatArray();
            for (int i = 0; i < 3; i++) {
                for (int c = 0; c < 8; c++) {
                    assertThat(out[24 + i * 8 + c]).as("batch 1 sees no key").isEqualTo(bias[c]);
                }
            }
        }
    }

    @Test
    void parameterNamesAndShapesFollowPyTorch() {
        MultiHeadAttention packed = new MultiHeadAttention(be, MultiHeadAttentionConfig.of(8, 2));
        assertThat(packed.namedParameters().keySet())
                .containsExactly("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias");
        assertThat(packed.namedParameters().get("in_proj_weight").shape()).containsExactly(24, 8);
        MultiHeadAttention split = new MultiHeadAttention(be, MultiHeadAttentionConfig.of(8, 2).withKvDims(6, 4).withBias(false));
        assertThat(split.namedParameters().keySet())
                .containsExactly("q_proj_weight", "k_proj_weight", "v_proj_weight", "out_proj.weight");
        assertThat(split.namedParameters().get("k_proj_weight").shape()).containsExactly(8, 6);
    }

    @Test
    void badInputIsNamedWithShapes() {
        assertThatThrownBy(() -> MultiHeadAttentionConfig.of(10, 3))
                .hasMessageContaining("embedDim 10 is not divisible by numHeads 3");
        try (Scope s = Tensor.scope()) {
            MultiHeadAttention mha = new MultiHeadAttention(be, MultiHeadAttentionConfig.of(8, 2));
            Tensor q = Tensor.zeros(be, 2, 3, 8);
            Tensor kv = Tensor.zeros(be, 2, 4, 8);
            assertThatThrownBy(() -> mha.forward(q, kv, Tensor.zeros(be, 2, 5, 8)))
                    .hasMessageContaining("[2, 4, 8]").hasMessageContaining("[2, 5, 8]").hasMessageContaining("length");
            assertThatThrownBy(() -> mha.forward(q, Tensor.zeros(be, 2, 4, 6), kv))
                    .hasMessageContaining("key (B, S, 8)").hasMessageContaining("[2, 4, 6]");
            assertThatThrownBy(() -> mha.forward(Tensor.zeros(be, 2, 3, 7), kv, kv)).hasMessageContaining("[2, 3, 7]");
            Mask pad = Mask.ignoreWhere(Tensor.zeros(be, 2, 3));
            assertThatThrownBy(() -> mha.forward(q, kv, kv, AttentionConfig.NONE.withKeyPadding(pad)))
                    .hasMessageContaining("key padding").hasMessageContaining("[2, 4]").hasMessageContaining("[2, 3]");
            Mask attn = Mask.ignoreWhere(Tensor.zeros(be, 4, 3));
            assertThatThrownBy(() -> mha.forward(q, kv, kv, AttentionConfig.NONE.withAttention(attn)))
                    .hasMessageContaining("(L, S) = [3, 4]").hasMessageContaining("(B*H, L, S) = [4, 3, 4]")
                    .hasMessageContaining("[4, 3]");
        }
    }
}
