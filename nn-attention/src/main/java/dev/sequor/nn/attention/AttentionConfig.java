package dev.sequor.nn.attention;

import java.util.function.Consumer;

/**
 * Per-call options of {@link MultiHeadAttention#forward(dev.sequor.core.Tensor, dev.sequor.core.Tensor,
 * dev.sequor.core.Tensor, AttentionConfig)}; build from {@link #NONE} with the withers.
 *
 * @param keyPadding which keys of each sequence may be seen, {@code (B, S)}; null for all
 * @param attention  which keys each query may see, {@code (L, S)} shared or {@code (B*H, L, S)}; null for all
 * @param causal     query {@code i} sees key {@code j} only if {@code j <= i + (S - L)} (no mask memory)
 * @param weights    whether and how to return the attention weights
 */
public record AttentionConfig(Mask keyPadding, Mask attention, boolean causal, Weights weights) {

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
    public static final AttentionConfig NONE = new AttentionConfig(null, null, false, Weights.NONE);

    public AttentionConfig {
        if (weights == null) {
            weights = Weights.NONE;
        }
    }

    /** @return these options with a key padding mask {@code (B, S)} */
    public AttentionConfig withKeyPadding(Mask mask) {
        return edit(f -> f.keyPadding = mask);
    }

    /** @return these options with an attention mask {@code (L, S)} or {@code (B*H, L, S)} */
    public AttentionConfig withAttention(Mask mask) {
        return edit(f -> f.attention = mask);
    }

    /** @return these options with the causal flag set as given */
    public AttentionConfig withCausal(boolean on) {
        return edit(f -> f.causal = on);
    }

    /** @return these options returning the given weights */
    public AttentionConfig withWeights(Weights mode) {
        return edit(f -> f.weights = mode);
    }

    /** @return a copy of this config with {@code change} applied to its components (every wither is one change) */
    private AttentionConfig edit(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.build();
    }

    /**
     * The components as variables, so that a wither names only what it changes; a new component is added
     * here (declaration, copy, build) and in the record header, not in every wither.
     */
    private static final class Fields {
        Mask keyPadding;
        Mask attention;
        boolean causal;
        Weights weights;

        Fields(AttentionConfig c) {
            keyPadding = c.keyPadding;
            attention = c.attention;
            causal = c.causal;
            weights = c.weights;
        }

        AttentionConfig build() {
            return new AttentionConfig(keyPadding, attention, causal, weights);
        }
    }
}
