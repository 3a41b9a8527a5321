package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.LayerNorm;
import dev.sequor.nn.Module;
import dev.sequor.nn.ModuleList;
import dev.sequor.spi.Backend;

import java.util.List;

/**
 * A stack of {@link TransformerEncoderLayer}s, optionally followed by a final layer norm (needed
 * after pre-norm layers), as PyTorch's {@code nn.TransformerEncoder}: parameters {@code layers.0.*},
 * {@code layers.1.*}, ..., {@code norm.*}. Each layer is initialised from its own seed (PyTorch
 * copies one layer's initial weights into all). Input and output {@code (B, T, dModel)}.
 */
public class TransformerEncoder extends Module {

    private final ModuleList<TransformerEncoderLayer> layers;
    private final LayerNorm norm;

    /**
     * @param numLayers the depth {@code N}
     * @param finalNorm whether to apply a layer norm to the output
     */
    public TransformerEncoder(Backend backend, TransformerConfig config, int numLayers, boolean finalNorm) {
        super(backend);
        if (numLayers <= 0) {
            throw new IllegalArgumentException("TransformerEncoder: numLayers must be positive, got " + numLayers);
        }
        layers = registerModule("layers", new ModuleList<>(backend));
        for (int i = 0; i < numLayers; i++) {
            layers.add(new TransformerEncoderLayer(backend, config.withSeed(Seed.of(config.seed().value() * 1009 + i))));
        }
        norm = finalNorm ? registerModule("norm", FeedForward.norm(backend, config)) : null;
    }

    /** @return the layers, in order */
    public List<TransformerEncoderLayer> layers() {
        return layers.items();
    }

    /**
     * @param src  {@code (B, T, dModel)}
     * @param mask self-attention masks for every layer ({@code src_mask}, {@code src_key_padding_mask})
     * @return {@code (B, T, dModel)}
     */
    public Tensor forward(Tensor src, AttentionConfig mask) {
        Tensor x = src;
        for (TransformerEncoderLayer layer : layers.items()) {
            x = layer.forward(x, mask);
        }
        return norm == null ? x : norm.forward(x);
    }
}
