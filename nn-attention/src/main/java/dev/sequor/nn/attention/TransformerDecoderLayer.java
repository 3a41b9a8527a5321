package dev.sequor.nn.attention;

import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Dropout;
import dev.sequor.nn.LayerNorm;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

/**
 * One decoder layer of the Transformer (Vaswani et al. 2017, section 3.1): masked self-attention,
 * attention over the encoder output ("memory"), then the feed-forward network, each in a residual
 * block with layer normalization,
 * <pre>
 *   post-norm:  x = norm1(x + SA(x));   x = norm2(x + MHA(x, m));   x = norm3(x + FF(x))
 *   pre-norm:   x = x + SA(norm1(x));   x = x + MHA(norm2(x), m);   x = x + FF(norm3(x))
 * </pre>
 * as PyTorch's {@code nn.TransformerDecoderLayer(batch_first=True)} with its parameter names
 * ({@code self_attn.*}, {@code multihead_attn.*}, {@code linear1/2.*}, {@code norm1/2/3.*}).
 * {@link #step} runs the same layer incrementally with a {@link KvCache}.
 */
public class TransformerDecoderLayer extends Module {

    private final TransformerConfig config;
    private final MultiHeadAttention selfAttn;
    private final MultiHeadAttention crossAttn;
    private final FeedForward ff;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final LayerNorm norm3;
    private final Dropout dropout1;
    private final Dropout dropout2;
    private final Dropout dropout3;

    /** A layer with PyTorch's defaults for {@code dModel} and {@code nHead} on the session backend. */
    public TransformerDecoderLayer(int dModel, int nHead) {
        this(Backends.get(), TransformerConfig.of(dModel, nHead));
    }

    /** A layer configured by {@code config} on {@code backend}. */
    public TransformerDecoderLayer(Backend backend, TransformerConfig config) {
        super(backend);
        this.config = config;
        selfAttn = registerModule("self_attn", new MultiHeadAttention(backend, config.selfAttention(1)));
        crossAttn = registerModule("multihead_attn", new MultiHeadAttention(backend, config.attention(2)));
        ff = new FeedForward(backend, config, this::registerModule);
        norm1 = registerModule("norm1", FeedForward.norm(backend, config));
        norm2 = registerModule("norm2", FeedForward.norm(backend, config));
        norm3 = registerModule("norm3", FeedForward.norm(backend, config));
        dropout1 = registerModule("dropout1", FeedForward.dropout(config, 21));
        dropout2 = registerModule("dropout2", FeedForward.dropout(config, 22));
        dropout3 = registerModule("dropout3", FeedForward.dropout(config, 23));
    }

    /** @return the configuration */
    public TransformerConfig config() {
        return config;
    }

    /**
     * @param tgt        {@code (B, L, dModel)}
     * @param memory     {@code (B, S, dModel)}, the encoder output
     * @param tgtMask    self-attention masks ({@code tgt_mask}, {@code tgt_key_padding_mask}, or {@code causal})
     * @param memoryMask cross-attention masks ({@code memory_mask}, {@code memory_key_padding_mask})
     * @return {@code (B, L, dModel)}
     */
    public Tensor forward(Tensor tgt, Tensor memory, AttentionConfig tgtMask, AttentionConfig memoryMask) {
        return run(tgt, memory, tgtMask, memoryMask, null, null);
    }

    /**
     * Incremental decoding: the next {@code t} positions (usually one) given everything cached so far.
     * Self-attention is causal over the cache plus the new positions; the memory's keys and values
     * are projected on the first step and reused. Outputs equal the matching rows of a causal
     * {@link #forward} over the whole prefix.
     *
     * @param tgt        {@code (B, t, dModel)}, the new positions
     * @param memoryMask cross-attention masks (a memory key padding mask, typically)
     * @param cache      the decoder's cache
     * @param name       this layer's key in the cache (e.g. {@code "layers.0"})
     * @return {@code (B, t, dModel)}
     */
    public Tensor step(Tensor tgt, Tensor memory, AttentionConfig memoryMask, KvCache cache, String name) {
        return run(tgt, memory, AttentionConfig.NONE.withCausal(true), memoryMask, cache.entry(name + ".self_attn", false),
                cache.entry(name + ".multihead_attn", true));
    }

    private Tensor run(Tensor tgt, Tensor memory, AttentionConfig tgtMask, AttentionConfig memoryMask,
                       KvCache.Entry selfCache, KvCache.Entry crossCache) {
        AttentionConfig self = tgtMask.withWeights(AttentionConfig.Weights.NONE);
        AttentionConfig cross = memoryMask.withWeights(AttentionConfig.Weights.NONE);
        Tensor x = tgt;
        if (config.normFirst()) {
            Tensor n1 = norm1.forward(x);
            x = x.add(dropout1.forward(selfAttn.forward(n1, n1, n1, self, selfCache).output()));
            x = x.add(dropout2.forward(crossAttn.forward(norm2.forward(x), memory, memory, cross, crossCache).output()));
            return x.add(dropout3.forward(ff.forward(norm3.forward(x))));
        }
        x = norm1.forward(x.add(dropout1.forward(selfAttn.forward(x, x, x, self, selfCache).output())));
        x = norm2.forward(x.add(dropout2.forward(crossAttn.forward(x, memory, memory, cross, crossCache).output())));
        return norm3.forward(x.add(dropout3.forward(ff.forward(x))));
    }
}
