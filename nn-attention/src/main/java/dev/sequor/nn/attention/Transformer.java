package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

/**
 * The encoder-decoder Transformer (Vaswani et al. 2017) as PyTorch's {@code nn.Transformer}: an
 * {@link TransformerEncoder} and a {@link TransformerDecoder}, each with a final layer norm
 * (parameters {@code encoder.layers.i.*}, {@code encoder.norm.*}, {@code decoder.layers.i.*},
 * {@code decoder.norm.*}). Embeddings, positional encodings and the output projection are the
 * caller's, as in PyTorch. Sequences are {@code (B, T, dModel)}.
 */
public class Transformer extends Module {

    private final TransformerEncoder encoder;
    private final TransformerDecoder decoder;

    /** PyTorch's default model: 6 + 6 layers of width {@code dModel} with {@code nHead} heads. */
    public Transformer(int dModel, int nHead) {
        this(Backends.get(), TransformerConfig.of(dModel, nHead), 6, 6);
    }

    /** A Transformer with the given layer configuration and depths. */
    public Transformer(Backend backend, TransformerConfig config, int numEncoderLayers, int numDecoderLayers) {
        super(backend);
        encoder = registerModule("encoder", new TransformerEncoder(backend, config, numEncoderLayers, true));
        decoder = registerModule("decoder", new TransformerDecoder(backend, config.withSeed(Seed.of(config.seed().value() + 7919)),
                numDecoderLayers, true));
    }

    /** @return the encoder */
    public TransformerEncoder encoder() {
        return encoder;
    }

    /** @return the decoder */
    public TransformerDecoder decoder() {
        return decoder;
    }

    /**
     * @param src        {@code (B, S, dModel)}
     * @param tgt        {@code (B, L, dModel)}
     * @param srcMask    encoder self-attention masks ({@code src_mask}, {@code src_key_padding_mask})
     * @param tgtMask    decoder self-attention masks (usually {@code causal})
     * @param memoryMask decoder cross-attention masks (usually the source key padding)
     * @return {@code (B, L, dModel)}
     */
    public Tensor forward(Tensor src, Tensor tgt, AttentionConfig srcMask, AttentionConfig tgtMask,
                          AttentionConfig memoryMask) {
        return decoder.forward(tgt, encode(src, srcMask), tgtMask, memoryMask);
    }

    /** @return the memory {@code (B, S, dModel)} for {@link #decodeStep} */
    public Tensor encode(Tensor src, AttentionConfig srcMask) {
        return encoder.forward(src, srcMask);
    }

    /** One step of incremental decoding; see {@link TransformerDecoder#step}. */
    public Tensor decodeStep(Tensor tgt, Tensor memory, AttentionConfig memoryMask, KvCache cache) {
        return decoder.step(tgt, memory, memoryMask, cache);
    }
}
