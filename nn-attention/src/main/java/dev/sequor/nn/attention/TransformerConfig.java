package dev.sequor.nn.attention;

import dev.sequor.core.Seed;

import java.util.function.Consumer;

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
 * @param window          sliding-window width {@code w} of the self-attention blocks (cross-attention stays
 *                        global): see {@link MultiHeadAttentionConfig#window()}; 0 for global attention
 */
public record TransformerConfig(int dModel, int nHead, int dimFeedforward, float dropout, Activation activation,
                                float layerNormEps, boolean normFirst, Seed seed, int window) {

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
        if (window < 0) {
            throw new IllegalArgumentException("Transformer: window must be >= 0 (0: global), got " + window);
        }
    }

    /** A configuration with global self-attention (the components before the window). */
    public TransformerConfig(int dModel, int nHead, int dimFeedforward, float dropout, Activation activation,
                             float layerNormEps, boolean normFirst, Seed seed) {
        this(dModel, nHead, dimFeedforward, dropout, activation, layerNormEps, normFirst, seed, 0);
    }

    /** @return {@code dModel} and {@code nHead} with PyTorch's defaults for the rest */
    public static TransformerConfig of(int dModel, int nHead) {
        return new TransformerConfig(dModel, nHead, 2048, 0.1f, Activation.RELU, 1e-5f, false, Seed.of(0L));
    }

    /** @return this configuration with a feed-forward width */
    public TransformerConfig withDimFeedforward(int d) {
        return edit(f -> f.dimFeedforward = d);
    }

    /** @return this configuration with a dropout probability */
    public TransformerConfig withDropout(float p) {
        return edit(f -> f.dropout = p);
    }

    /** @return this configuration with an activation */
    public TransformerConfig withActivation(Activation a) {
        return edit(f -> f.activation = a);
    }

    /** @return this configuration with pre-norm ({@code true}) or post-norm */
    public TransformerConfig withNormFirst(boolean on) {
        return edit(f -> f.normFirst = on);
    }

    /** @return this configuration with a layer-norm epsilon */
    public TransformerConfig withLayerNormEps(float eps) {
        return edit(f -> f.layerNormEps = eps);
    }

    /** @return this configuration with another seed */
    public TransformerConfig withSeed(Seed s) {
        return edit(f -> f.seed = s);
    }

    /** @return this configuration with a self-attention sliding window of width {@code w} (0: global) */
    public TransformerConfig withWindow(int w) {
        return edit(f -> f.window = w);
    }

    /** @return the attention configuration of this layer's attention blocks, salted by {@code salt} */
    MultiHeadAttentionConfig attention(long salt) {
        return MultiHeadAttentionConfig.of(dModel, nHead).withDropout(dropout).withSeed(Seed.of(seed.value() * 31 + salt));
    }

    /** @return {@link #attention(long)} with this configuration's sliding window, for self-attention blocks */
    MultiHeadAttentionConfig selfAttention(long salt) {
        return attention(salt).withWindow(window);
    }

    /** @return a copy of this config with {@code change} applied to its components (every wither is one change) */
    private TransformerConfig edit(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.build();
    }

    /**
     * The components as variables, so that a wither names only what it changes; a new component is added
     * here (declaration, copy, build) and in the record header, not in every wither.
     */
    private static final class Fields {
        int dModel;
        int nHead;
        int dimFeedforward;
        float dropout;
        Activation activation;
        float layerNormEps;
        boolean normFirst;
        Seed seed;
        int window;

        Fields(TransformerConfig c) {
            dModel = c.dModel;
            nHead = c.nHead;
            dimFeedforward = c.dimFeedforward;
            dropout = c.dropout;
            activation = c.activation;
            layerNormEps = c.layerNormEps;
            normFirst = c.normFirst;
            seed = c.seed;
            window = c.window;
        }

        TransformerConfig build() {
            return new TransformerConfig(dModel, nHead, dimFeedforward, dropout, activation, layerNormEps, normFirst, seed,
                    window);
        }
    }
}
