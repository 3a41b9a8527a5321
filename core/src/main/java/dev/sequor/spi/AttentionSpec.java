package dev.sequor.spi;

/**
 * The shape and options of one scaled-dot-product attention call ({@link Backend#attentionForward},
 * {@link Backend#attentionBackward}). Buffers are laid out per (batch, head) pair {@code bh = b * heads + h}:
 * queries {@code (batch*heads, queries, headDim)}, keys {@code (batch*heads, keys, headDim)}, values
 * {@code (batch*heads, keys, valueDim)}, output {@code (batch*heads, queries, valueDim)}, all dense.
 *
 * @param batch    B, at least 1
 * @param heads    H, at least 1
 * @param queries  L, the query length, at least 1
 * @param keys     S, the key (and value) length, at least 1
 * @param headDim  E, the query/key width, at least 1
 * @param valueDim Ev, the value width, at least 1
 * @param scale    multiplies {@code q . k}; usually {@code 1 / sqrt(E)}
 * @param causal   when set, query {@code i} sees key {@code j} only if {@code j <= i + (S - L)} (the causal
 *                 diagonal is aligned to the last key, so a single new query sees every cached key; for
 *                 {@code L == S} this is PyTorch's {@code is_causal})
 * @param dropout  probability {@code p} in [0, 1) of dropping an attention weight; 0 for none
 * @param seed     the dropout seed: weight {@code (bh, i, j)} is kept iff
 *                 {@code CounterRng.uniform(seed, (bh * L + i) * S + j) < 1 - p}, so forward and backward
 *                 (and any backend) draw the same mask without storing it
 */
public record AttentionSpec(int batch, int heads, int queries, int keys, int headDim, int valueDim,
                            float scale, boolean causal, float dropout, long seed) {

    public AttentionSpec {
        if (batch < 1 || heads < 1 || queries < 1 || keys < 1 || headDim < 1 || valueDim < 1) {
            throw new IllegalArgumentException("attention: sizes must be positive, got batch=" + batch + " heads="
                    + heads + " queries=" + queries + " keys=" + keys + " headDim=" + headDim + " valueDim=" + valueDim);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("attention: dropout must be in [0, 1), got " + dropout);
        }
        if (!Float.isFinite(scale)) {
            throw new IllegalArgumentException("attention: scale must be finite, got " + scale);
        }
    }

    /** @return {@code batch * heads}, the number of independent attention problems */
    public int problems() {
        return batch * heads;
    }
}
