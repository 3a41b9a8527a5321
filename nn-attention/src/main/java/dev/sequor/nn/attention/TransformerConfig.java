package dev.sequor.nn.attention;

/**
 * Configuration of one Transformer layer ({@link TransformerEncoderLayer}, {@link TransformerDecoderLayer}),
 * with PyTorch's defaults.
 *
 * @param dModel          the model width {@code d_model}
 * @param nHead           attention heads; must divide {@code dModel}
 * @param dimFeedforward  the inner width of the position-wise feed-forward network (PyTorch: 2048)
 * @param dropout         dropout after attention, inside and after the feed-forward (PyTorch: 0.1)
 * @param activation      of the feed-forward network (PyTorch: relu)
 * @param layerNormEps    epsilon of the layer norms (PyTorch: 1e-5)
 * @param normFirst       pre-norm ({@code x + f(norm(x))}, Xiong et al. 2020) instead of the original
 *                        post-norm ({@code norm(x + f(x))}) (PyTorch: false)
 * @param seed            seeds the initialisation and the dropout streams
 */
public record TransformerConfig(int dModel, int nHead, int dimFeedforward, float dropout, Activation activation,
                                float layerNormEps, boolean normFirst, long seed) {

    /** The feed-forward activation. */
    public enum Activation {
        /** {@code max(0, x)} */
        RELU,
        /** the exact GELU {@code x Phi(x)} (Hendrycks and Gimpel 2016) */
        GELU
    }

    public TransformerConfig {
        if (dModel <= 0 || nHead <= 0 || dimFeedforward <= 0) {
            throw new IllegalArgumentException("Transformer: sizes must be positive, got dModel=" + dModel + " nHead=" + nHead
                    + " dimFeedforward=" + dimFeedforward);
        }
        if (dModel % nHead != 0) {
            throw new IllegalArgumentException("Transformer: dModel " + dModel + " is not divisible by nHead " + nHead);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("Transformer: dropout must be in [0, 1), got " + dropout);
        }
        if (activation == null) {
            throw new IllegalArgumentException("Transformer: activation is required");
        }
    }

    /** @return {@code dModel} and {@code nHead} with PyTorch's defaults for the rest */
    public static TransformerConfig of(int dModel, int nHead) {
        return new TransformerConfig(dModel, nHead, 2048, 0.1f, Activation.RELU, 1e-5f, false, 0L);
    }

    /** @return this configuration with a feed-forward width */
    public TransformerConfig withDimFeedforward(int d) {
        return new TransformerConfig(dModel, nHead, d, dropout, activation, layerNormEps, normFirst, seed);
    }

    /** @return this configuration with a dropout probability */
    public TransformerConfig withDropout(float p) {
        return new TransformerConfig(dModel, nHead, dimFeedforward, p, activation, layerNormEps, normFirst, seed);
    }

    /** @return this configuration with an activation */
    public TransformerConfig withActivation(Activation a) {
        return new TransformerConfig(dModel, nHead, dimFeedforward, dropout, a, layerNormEps, normFirst, seed);
    }

    /** @return this configuration with pre-norm ({@code true}) or post-norm */
    public TransformerConfig withNormFirst(boolean on) {
        return new TransformerConfig(dModel, nHead, dimFeedforward, dropout, activation, layerNormEps, on, seed);
    }

    /** @return this configuration with a layer-norm epsilon */
    public TransformerConfig withLayerNormEps(float eps) {
        return new TransformerConfig(dModel, nHead, dimFeedforward, dropout, activation, eps, normFirst, seed);
    }

    /** @return this configuration with another seed */
    public TransformerConfig withSeed(long s) {
        return new TransformerConfig(dModel, nHead, dimFeedforward, dropout, activation, layerNormEps, normFirst, s);
    }

    /** @return the attention configuration of this layer's attention blocks, salted by {@code salt} */
    MultiHeadAttentionConfig attention(long salt) {
        return MultiHeadAttentionConfig.of(dModel, nHead).withDropout(dropout).withSeed(seed * 31 + salt);
    }
}
