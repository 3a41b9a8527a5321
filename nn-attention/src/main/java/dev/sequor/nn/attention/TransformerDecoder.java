package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.LayerNorm;
import dev.sequor.nn.Module;
import dev.sequor.nn.ModuleList;
import dev.sequor.spi.Backend;

import java.util.Arrays;
import java.util.List;

/**
 * A stack of {@link TransformerDecoderLayer}s, optionally followed by a final layer norm, as PyTorch's
 * {@code nn.TransformerDecoder}: parameters {@code layers.0.*}, ..., {@code norm.*}.
 *
 * <p>Generation: {@link #step} decodes the next positions given a {@link KvCache}; a loop that calls it
 * with one new token embedding at a time reproduces the causal {@link #forward} position by position
 * at {@code O(t)} cost per step:
 * <pre>{@code
 * try (KvCache cache = new KvCache(); Grad g = Grad.disabled()) {
 *     Tensor y = decoder.step(embed(bos), memory, memoryMask, cache);   // (B, 1, dModel)
 *     ...                                                               // pick the next token, repeat
 * }
 * }</pre>
 */
public class TransformerDecoder extends Module {

    private final ModuleList<TransformerDecoderLayer> layers;
    private final LayerNorm norm;

    /**
     * @param numLayers the depth {@code N}
     * @param finalNorm whether to apply a layer norm to the output
     */
    public TransformerDecoder(Backend backend, TransformerConfig config, int numLayers, boolean finalNorm) {
        super(backend);
        if (numLayers <= 0) {
            throw new IllegalArgumentException("TransformerDecoder: numLayers must be positive, got " + numLayers);
        }
        layers = registerModule("layers", new ModuleList<>(backend));
        for (int i = 0; i < numLayers; i++) {
            layers.add(new TransformerDecoderLayer(backend, config.withSeed(Seed.of(config.seed().value() * 1013 + i))));
        }
        norm = finalNorm ? registerModule("norm", FeedForward.norm(backend, config)) : null;
    }

    /** @return the layers, in order */
    public List<TransformerDecoderLayer> layers() {
        return layers.items();
    }

    /**
     * @param tgt        {@code (B, L, dModel)}
     * @param memory     {@code (B, S, dModel)}
     * @param tgtMask    self-attention masks ({@code causal} for training a generator)
     * @param memoryMask cross-attention masks
     * @return {@code (B, L, dModel)}
     */
    public Tensor forward(Tensor tgt, Tensor memory, AttentionConfig tgtMask, AttentionConfig memoryMask) {
        Tensor x = tgt;
        for (TransformerDecoderLayer layer : layers.items()) {
            x = layer.forward(x, memory, tgtMask, memoryMask);
        }
        return norm == null ? x : norm.forward(x);
    }

    /**
     * Decodes the next {@code t} positions after the {@code cache.steps()} already cached, causally,
     * and advances the cache. Equals rows {@code [steps, steps + t)} of
     * {@code forward(prefix, memory, causal, memoryMask)}.
     *
     * @param tgt    {@code (B, t, dModel)}, the new positions' inputs
     * @param memory {@code (B, S, dModel)}; read on the first step only
     * @return {@code (B, t, dModel)}
     */
    public Tensor step(Tensor tgt, Tensor memory, AttentionConfig memoryMask, KvCache cache) {
        if (tgt.rank() != 3) {
            throw new IllegalArgumentException("TransformerDecoder.step: tgt must be (B, t, dModel), got "
                    + Arrays.toString(tgt.shape()));
        }
        Tensor x = tgt;
        List<TransformerDecoderLayer> ls = layers.items();
        for (int i = 0; i < ls.size(); i++) {
            x = ls.get(i).step(x, memory, memoryMask, cache, "layers." + i);
        }
        cache.advance(tgt.size(1));
        return norm == null ? x : norm.forward(x);
    }
}
