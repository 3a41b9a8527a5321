package dev.sequor.nn.attention;

/**
 * Per-call options of {@link MultiHeadAttention#forward(dev.sequor.core.Tensor, dev.sequor.core.Tensor,
 * dev.sequor.core.Tensor, AttentionOptions)}; build from {@link #NONE} with the withers.
 *
 * @param keyPadding which keys of each sequence may be seen, {@code (B, S)}; null for all
 * @param attention  which keys each query may see, {@code (L, S)} shared or {@code (B*H, L, S)}; null for all
 * @param causal     query {@code i} sees key {@code j} only if {@code j <= i + (S - L)} (no mask memory)
 * @param weights    whether and how to return the attention weights
 */
public record AttentionOptions(Mask keyPadding, Mask attention, boolean causal, Weights weights) {

    /** Which attention weights a layer returns. */
    public enum Weights {
        /** none (the fused kernel alone runs) */
        NONE,
        /** averaged over heads, {@code (B, L, S)}, PyTorch's {@code average_attn_weights=True} */
        AVERAGED,
        /** per head, {@code (B, H, L, S)} */
        PER_HEAD
    }

    /** No masks, not causal, no weights. */
    public static final AttentionOptions NONE = new AttentionOptions(null, null, false, Weights.NONE);

    public AttentionOptions {
        if (weights == null) {
            weights = Weights.NONE;
        }
    }

    /** @return these options with a key padding mask {@code (B, S)} */
    public AttentionOptions withKeyPadding(Mask mask) {
        return new AttentionOptions(mask, attention, causal, weights);
    }

    /** @return these options with an attention mask {@code (L, S)} or {@code (B*H, L, S)} */
    public AttentionOptions withAttention(Mask mask) {
        return new AttentionOptions(keyPadding, mask, causal, weights);
    }

    /** @return these options with the causal flag set as given */
    public AttentionOptions withCausal(boolean on) {
        return new AttentionOptions(keyPadding, attention, on, weights);
    }

    /** @return these options returning the given weights */
    public AttentionOptions withWeights(Weights mode) {
        return new AttentionOptions(keyPadding, attention, causal, mode);
    }
}
