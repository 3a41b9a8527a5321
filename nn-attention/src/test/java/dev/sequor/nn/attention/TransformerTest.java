package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Grad;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole Transformer against PyTorch, and incremental decoding against the full causal forward. */
class TransformerTest {

    private final Backend be = Backends.get("reference");
    private final TransformerConfig small = TransformerConfig.of(8, 2).withDimFeedforward(16).withDropout(0f);

    @Test
    void transformerMatchesPyTorch() {
        Golden g = new Golden("attention_transformer.safetensors");
        try (Scope s = Tensor.scope()) {
            Transformer model = new Transformer(be, small, 2, 2);
            Map<String, Tensor> state = g.withPrefix(be, "transformer.param.");
            assertThat(model.stateDict().keySet()).containsExactlyInAnyOrderElementsOf(state.keySet());
            model.loadStateDict(state, true);
            Tensor src = g.tensor(be, "transformer.src").requiresGrad(true);
            Tensor tgt = g.tensor(be, "transformer.tgt").requiresGrad(true);
            Mask pad = Mask.ignoreWhere(g.tensor(be, "transformer.src_key_padding_ignore"));
            AttentionConfig padded = AttentionConfig.NONE.withKeyPadding(pad);
            Tensor out = model.forward(src, tgt, padded, AttentionConfig.NONE.withCausal(true), padded);
            g.assertClose("transformer.out", out, 1e-5);
            out.mul(g.tensor(be, "transformer.gout")).sum().backward();
            g.assertClose("transformer.grad.src", src.grad(), 1e-4);
            g.assertClose("transformer.grad.tgt", tgt.grad(), 1e-4);
            model.namedParameters().forEach((k, p) -> g.assertClose("transformer.grad.param." + k, p.grad(), 1e-4));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void kvCacheStepsEqualTheFullCausalForward(boolean normFirst) {
        try (Scope s = Tensor.scope(); Grad g = Grad.disabled()) {
            TransformerDecoder decoder = new TransformerDecoder(be, small.withNormFirst(normFirst).withSeed(Seed.of(5)), 2, true);
            Tensor tgt = Tensor.normal(be, 0, 1, Seed.of(11), 2, 5, 8);
            Tensor memory = Tensor.normal(be, 0, 1, Seed.of(12), 2, 6, 8);
            AttentionConfig memMask = AttentionConfig.NONE.withKeyPadding(Mask.keepLengths(be, new int[] {6, 3}, 6));
            Tensor full = decoder.forward(tgt, memory, AttentionConfig.NONE.withCausal(true), memMask);
            List<Tensor> steps = new ArrayList<>();
            try (KvCache cache = new KvCache()) {
                // one position, then two at once, then the last two one by one
                int[][] chunks = {{0, 1}, {1, 2}, {3, 1}, {4, 1}};
                for (int[] c : chunks) {
                    try (Scope step = Tensor.scope()) {
                        steps.add(step.keep(decoder.step(tgt.narrow(1, c[0], c[1]), memory, memMask, cache)));
                    }
                }
                assertThat(cache.steps()).isEqualTo(5);
            }
            Tensor incremental = Tensor.concat(1, steps);
            Golden.assertArrayClose("incremental vs full", full.toFloatArray(), incremental.toFloatArray(), 1e-5);
        }
    }

    @Test
    void reorderingTheCacheFollowsTheChosenSequences() {
        try (Scope s = Tensor.scope(); Grad g = Grad.disabled()) {
            TransformerDecoder decoder = new TransformerDecoder(be, small.withSeed(Seed.of(9)), 2, true);
            Tensor tgt = Tensor.normal(be, 0, 1, Seed.of(21), 2, 3, 8);
            Tensor memory = Tensor.normal(be, 0, 1, Seed.of(22), 2, 4, 8);
            int[] pick = {1, 1, 0}; // beam search keeps sequence 1 twice and sequence 0 once
            Tensor picked = Tensor.of(be, new float[] {1, 1, 0}, 3);
            Tensor full = decoder.forward(tgt.indexSelect(0, picked), memory.indexSelect(0, picked),
                    AttentionConfig.NONE.withCausal(true), AttentionConfig.NONE);
            try (KvCache cache = new KvCache()) {
                decoder.step(tgt.narrow(1, 0, 2), memory, AttentionConfig.NONE, cache);
                cache.reorder(pick);
                Tensor last = decoder.step(tgt.indexSelect(0, picked).narrow(1, 2, 1), null, AttentionConfig.NONE, cache);
                Golden.assertArrayClose("step after reorder", full.narrow(1, 2, 1).toFloatArray(), last.toFloatArray(), 1e-5);
                assertThatThrownBy(() -> cache.reorder(new int[] {3})).hasMessageContaining("index 3")
                        .hasMessageContaining("batch of 3");
            }
        }
    }

    @Test
    void stackNamesFollowPyTorch() {
        Transformer model = new Transformer(be, small, 1, 1);
        assertThat(model.stateDict().keySet()).contains("encoder.layers.0.self_attn.in_proj_weight",
                "encoder.layers.0.linear1.weight", "encoder.layers.0.norm2.bias", "encoder.norm.weight",
                "decoder.layers.0.multihead_attn.out_proj.weight", "decoder.layers.0.norm3.weight", "decoder.norm.bias");
        assertThatThrownBy(() -> TransformerConfig.of(10, 4)).hasMessageContaining("dModel 10 is not divisible by nHead 4");
    }
}
