package dev.sequor.spi;

/**
 * The shape and options of one scaled-dot-product attention call ({@link Backend#attentionForward},
 * {@link Backend#attentionBackward}). Buffers are laid out per (batch, head) pair {@code bh = b * heads + h}:
 * queries {@code (batch*heads, queries, headDim)}, keys {@code (batch*heads, keys, headDim)}, values
 * {@code (batch*heads, keys, valueDim)}, output {@code (batch*heads, queries, valueDim)}, all dense.
 *
 * <p>The window: with {@code off = S - L} (which aligns the last query with the last key), query {@code i}
 * sees key {@code j} only if {@code i + off - windowLeft <= j <= i + off + windowRight}, and with
 * {@code causal} also {@code j <= i + off}. {@link #UNBOUNDED} on a side means no limit there, so the
 * default window is global attention. Keys outside the window are never scored: a backend may (and a fast
 * one does) skip them entirely, so a windowed call costs {@code O(L (left + right + 1))} per problem,
 * not {@code O(L S)}. {@link #keyStart} and {@link #keyEnd} give each query's visible range.
 *
 * @param batch       B, at least 1
 * @param heads       H, at least 1
 * @param queries     L, the query length, at least 1
 * @param keys        S, the key (and value) length, at least 1
 * @param headDim     E, the query/key width, at least 1
 * @param valueDim    Ev, the value width, at least 1
 * @param scale       multiplies {@code q . k}; usually {@code 1 / sqrt(E)}
 * @param causal      when set, query {@code i} sees key {@code j} only if {@code j <= i + (S - L)} (the causal
 *                    diagonal is aligned to the last key, so a single new query sees every cached key; for
 *                    {@code L == S} this is PyTorch's {@code is_causal})
 * @param dropout     probability {@code p} in [0, 1) of dropping an attention weight; 0 for none
 * @param seed        the dropout seed: weight {@code (bh, i, j)} is kept iff
 *                    {@code CounterRng.uniform(seed, (bh * L + i) * S + j) < 1 - p}, so forward and backward
 *                    (and any backend) draw the same mask without storing it
 * @param windowLeft  how many keys before the aligned position {@code i + off} query {@code i} sees, {@code >= 0},
 *                    or {@link #UNBOUNDED}
 * @param windowRight how many keys after it query {@code i} sees, {@code >= 0}, or {@link #UNBOUNDED}
 */
public record AttentionSpec(int batch, int heads, int queries, int keys, int headDim, int valueDim,
                            float scale, boolean causal, float dropout, long seed,
                            int windowLeft, int windowRight) {

    /** A window side with no limit. */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

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
        if (windowLeft < 0 || windowRight < 0) {
            throw new IllegalArgumentException("attention: window sides must be >= 0 (or UNBOUNDED), got left="
                    + windowLeft + " right=" + windowRight);
        }
    }

    /** Global attention: no window. */
    public AttentionSpec(int batch, int heads, int queries, int keys, int headDim, int valueDim,
                         float scale, boolean causal, float dropout, long seed) {
        this(batch, heads, queries, keys, headDim, valueDim, scale, causal, dropout, seed, UNBOUNDED, UNBOUNDED);
    }

    /** @return this call restricted to the window {@code [i + off - left, i + off + right]} */
    public AttentionSpec withWindow(int left, int right) {
        return new AttentionSpec(batch, heads, queries, keys, headDim, valueDim, scale, causal, dropout, seed,
                left, right);
    }

    /** @return {@code batch * heads}, the number of independent attention problems */
    public int problems() {
        return batch * heads;
    }

    /** @return whether the window hides some key from some query (beyond what {@code causal} hides) */
    public boolean windowed() {
        // The last query's aligned key is S - 1, so the left side bites when it stops short of key 0;
        // the first query's is S - L, so the right side bites when it stops short of key S - 1.
        boolean left = windowLeft != UNBOUNDED && windowLeft < keys - 1;
        boolean right = !causal && windowRight != UNBOUNDED && windowRight < queries - 1;
        return left || right;
    }

    /** @return the first key query {@code i} may see, in {@code [0, S]} */
    public int keyStart(int i) {
        if (windowLeft == UNBOUNDED) {
            return 0;
        }
        long start = (long) i + keys - queries - windowLeft;
        return (int) Math.min(Math.max(start, 0L), keys);
    }

    /** @return one past the last key query {@code i} may see, in {@code [0, S]}; {@code <= keyStart(i)} when none */
    public int keyEnd(int i) {
        long aligned = (long) i + keys - queries;
        // causal already stops at the aligned key, and a right side is >= 0, so it cannot stop earlier
        long last = causal ? aligned : windowRight == UNBOUNDED ? keys - 1L : aligned + windowRight;
        return (int) Math.min(Math.max(last + 1, 0L), keys);
    }
}
