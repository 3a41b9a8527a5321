package dev.sequor.nn.attention;

import dev.sequor.core.Seed;

import java.util.function.Consumer;

/**
 * Configuration of {@link MultiHeadAttention}, with PyTorch's defaults.
 *
 * @param embedDim model width {@code E} (queries and outputs); divisible by {@code numHeads}
 * @param numHeads {@code H}; each head attends in {@code E / H} dimensions
 * @param dropout  probability of dropping an attention weight while training (PyTorch: 0)
 * @param bias     whether the input and output projections have biases (PyTorch: true)
 * @param kdim     key feature width (PyTorch: {@code E})
 * @param vdim     value feature width (PyTorch: {@code E})
 * @param seed     seeds both the initialisation and the dropout stream
 * @param window   sliding-window width {@code w}: query {@code i} (aligned to the last key) sees only keys
 *                 {@code j} with {@code |j - i| < w} (with {@code causal}: the {@code w} keys
 *                 {@code [i - w + 1, i]}), on {@link WindowedAttention}; 0 for global attention
 */
public record MultiHeadAttentionConfig(int embedDim, int numHeads, float dropout, boolean bias, int kdim, int vdim,
                                       Seed seed, int window) {

    public MultiHeadAttentionConfig {
        if (embedDim <= 0 || numHeads <= 0 || kdim <= 0 || vdim <= 0) {
            throw new IllegalArgumentException("MultiHeadAttention: sizes must be positive, got embedDim=" + embedDim
                    + " numHeads=" + numHeads + " kdim=" + kdim + " vdim=" + vdim);
        }
        if (embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiHeadAttention: embedDim " + embedDim
                    + " is not divisible by numHeads " + numHeads);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("MultiHeadAttention: dropout must be in [0, 1), got " + dropout);
        }
        if (window < 0) {
            throw new IllegalArgumentException("MultiHeadAttention: window must be >= 0 (0: global), got " + window);
        }
    }

    /** @return {@code E} and {@code H} with PyTorch's defaults for the rest (no dropout, biases, kdim = vdim = E) */
    public static MultiHeadAttentionConfig of(int embedDim, int numHeads) {
        return new MultiHeadAttentionConfig(embedDim, numHeads, 0f, true, embedDim, embedDim, Seed.of(0L), 0);
    }

    /** @return this configuration with dropout {@code p} */
    public MultiHeadAttentionConfig withDropout(float p) {
        return edit(f -> f.dropout = p);
    }

    /** @return this configuration with or without biases */
    public MultiHeadAttentionConfig withBias(boolean on) {
        return edit(f -> f.bias = on);
    }

    /** @return this configuration with key and value widths */
    public MultiHeadAttentionConfig withKvDims(int keyDim, int valueDim) {
        return edit(f -> { f.kdim = keyDim; f.vdim = valueDim; });
    }

    /** @return this configuration with another seed */
    public MultiHeadAttentionConfig withSeed(Seed s) {
        return edit(f -> f.seed = s);
    }

    /** @return this configuration with a sliding window of width {@code w} (0: global attention) */
    public MultiHeadAttentionConfig withWindow(int w) {
        return edit(f -> f.window = w);
    }

    /** @return {@code E / H} */
    public int headDim() {
        return embedDim / numHeads;
    }

    /** @return whether keys and values have width E, so one packed {@code in_proj_weight} holds all three */
    public boolean packed() {
        return kdim == embedDim && vdim == embedDim;
    }

    /** @return a copy of this config with {@code change} applied to its components (every wither is one change) */
    private MultiHeadAttentionConfig edit(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.build();
    }

    /**
     * The components as variables, so that a wither names only what it changes; a new component is added
     * here (declaration, copy, build) and in the record header, not in every wither.
     */
    private static final class Fields {
        int embedDim;
        int numHeads;
        float dropout;
        boolean bias;
        int kdim;
        int vdim;
        Seed seed;
        int window;

        Fields(MultiHeadAttentionConfig c) {
            embedDim = c.embedDim;
            numHeads = c.numHeads;
            dropout = c.dropout;
            bias = c.bias;
            kdim = c.kdim;
            vdim = c.vdim;
            seed = c.seed;
            window = c.window;
        }

        MultiHeadAttentionConfig build() {
            return new MultiHeadAttentionConfig(embedDim, numHeads, dropout, bias, kdim, vdim, seed, window);
        }
    }
}
