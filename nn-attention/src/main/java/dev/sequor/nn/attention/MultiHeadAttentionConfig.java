package dev.sequor.nn.attention;

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
                                       long seed, int window) {

    /** A global-attention configuration ({@code window = 0}). */
    public MultiHeadAttentionConfig(int embedDim, int numHeads, float dropout, boolean bias, int kdim, int vdim,
                                    long seed) {
        this(embedDim, numHeads, dropout, bias, kdim, vdim, seed, 0);
    }

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
            throw new IllegalArgumentException("MultiHeadAttention: window must be >= 0 (0 is global), got " + window);
        }
    }

    /** @return {@code E} and {@code H} with PyTorch's defaults for the rest (no dropout, biases, kdim = vdim = E) */
    public static MultiHeadAttentionConfig of(int embedDim, int numHeads) {
        return new MultiHeadAttentionConfig(embedDim, numHeads, 0f, true, embedDim, embedDim, 0L);
    }

    /** @return this configuration with dropout {@code p} */
    public MultiHeadAttentionConfig withDropout(float p) {
        return new MultiHeadAttentionConfig(embedDim, numHeads, p, bias, kdim, vdim, seed, window);
    }

    /** @return this configuration with or without biases */
    public MultiHeadAttentionConfig withBias(boolean on) {
        return new MultiHeadAttentionConfig(embedDim, numHeads, dropout, on, kdim, vdim, seed, window);
    }

    /** @return this configuration with key and value widths */
    public MultiHeadAttentionConfig withKvDims(int keyDim, int valueDim) {
        return new MultiHeadAttentionConfig(embedDim, numHeads, dropout, bias, keyDim, valueDim, seed, window);
    }

    /** @return this configuration with another seed */
    public MultiHeadAttentionConfig withSeed(long s) {
        return new MultiHeadAttentionConfig(embedDim, numHeads, dropout, bias, kdim, vdim, s, window);
    }

    /** @return this configuration with a sliding window of width {@code w} (0: global attention) */
    public MultiHeadAttentionConfig withWindow(int w) {
        return new MultiHeadAttentionConfig(embedDim, numHeads, dropout, bias, kdim, vdim, seed, w);
    }

    /** @return {@code E / H} */
    public int headDim() {
        return embedDim / numHeads;
    }

    /** @return whether keys and values have width E, so one packed {@code in_proj_weight} holds all three */
    public boolean packed() {
        return kdim == embedDim && vdim == embedDim;
    }
}
