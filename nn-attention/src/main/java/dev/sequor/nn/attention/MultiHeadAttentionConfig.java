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
 */
public record MultiHeadAttentionConfig(int embedDim, int numHeads, float dropout, boolean bias, int kdim, int vdim,
                                       long seed) {

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
    }

    /** @return {@code E} and {@code H} with PyTorch's defaults for the rest (no dropout, biases, kdim = vdim = E) */
    public static MultiHeadAttentionConfig of(int embedDim, int numHeads) {
        return new MultiHeadAttentionConfig(embedDim, numHeads, 0f, true, embedDim, embedDim, 0L);
    }

    /** @return this configuration with dropout {@code p} */
    public MultiHeadAttentionConfig withDropout(float p) {
        return new MultiHeadAttentionConfig(embedDim, numHeads, p, bias, kdim, vdim, seed);
    }

    /** @return this configuration with or without biases */
    public MultiHeadAttentionConfig withBias(boolean on) {
        return new MultiHeadAttentionConfig(embedDim, numHeads, dropout, on, kdim, vdim, seed);
    }

    /** @return this configuration with key and value widths */
    public MultiHeadAttentionConfig withKvDims(int keyDim, int valueDim) {
        return new MultiHeadAttentionConfig(embedDim, numHeads, dropout, bias, keyDim, valueDim, seed);
    }

    /** @return this configuration with another seed */
    public MultiHeadAttentionConfig withSeed(long s) {
        return new MultiHeadAttentionConfig(embedDim, numHeads, dropout, bias, kdim, vdim, s);
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
