package dev.sequor.nn.attention;

import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

import java.util.Arrays;

/**
 * Attention defined by an alignment score {@code e_ij = score(q_i, k_j)} (Bahdanau et al. 2015;
 * Luong et al. 2015): weights {@code a_ij = softmax_j(e_ij)} over the visible keys and context
 * vectors {@code c_i = sum_j a_ij v_j}.
 *
 * <p>Shapes: query {@code (B, L, Dq)} or one query per sequence {@code (B, Dq)}; keys {@code (B, S, Dk)};
 * values {@code (B, S, Dv)} (in the papers, values are the keys, the encoder annotations). Results:
 * context {@code (B, L, Dv)} and weights {@code (B, L, S)}, or {@code (B, Dv)} and {@code (B, S)} for a
 * rank-2 query. The mask broadcasts to {@code (B, L, S)}; a key padding mask {@code (B, S)} is
 * accepted as is. A query with no visible key gets zero weights and a zero context.
 */
public abstract class ScoredAttention extends Module {

    /** @param backend where the parameters (if any) live */
    protected ScoredAttention(Backend backend) {
        super(backend);
    }

    /**
     * @param query {@code (B, L, Dq)}
     * @param keys  {@code (B, S, Dk)}
     * @return the scores {@code e (B, L, S)}
     */
    protected abstract Tensor scores(Tensor query, Tensor keys);

    /**
     * Checks the feature widths of the query ({@code (B, Dq)} or {@code (B, L, Dq)}, as given) and keys.
     *
     * @throws IllegalArgumentException naming the expected widths and both shapes
     */
    protected abstract void checkWidths(Tensor query, Tensor keys);

    /** @return a short name for error messages */
    protected String op() {
        return getClass().getSimpleName();
    }

    /** Soft attention with the keys as values and no mask. */
    public AttentionOutput forward(Tensor query, Tensor keys) {
        return forward(query, keys, keys, null);
    }

    /**
     * @param mask which keys may be seen, broadcastable to {@code (B, L, S)} or {@code (B, S)}; null for all
     * @return the context vectors and the attention weights
     */
    public AttentionOutput forward(Tensor query, Tensor keys, Tensor values, Mask mask) {
        boolean single = check(query, keys, values);
        Tensor q = single ? query.unsqueeze(1) : query; // (B, L, Dq)
        Tensor e = scores(q, keys); // (B, L, S)
        Tensor a = MaskedSoftmax.apply(e, keyMask(mask, keys), op());
        Tensor c = a.matmul(values); // (B, L, Dv)
        return single ? new AttentionOutput(c.squeeze(1), a.squeeze(1)) : new AttentionOutput(c, a);
    }

    /**
     * Hard attention: all weight on the best-scoring visible key (the first on ties),
     * {@code c_i = v_argmax}. For inference: the choice is not differentiable (gradients reach only
     * the chosen values).
     */
    public AttentionOutput forwardHard(Tensor query, Tensor keys, Tensor values, Mask mask) {
        boolean single = check(query, keys, values);
        Tensor q = single ? query.unsqueeze(1) : query;
        Tensor e = scores(q, keys).detach(); // (B, L, S)
        Mask m = keyMask(mask, keys);
        if (m != null) {
            MaskedSoftmax.checkBroadcast(m, e.shape(), op());
            e = e.add(m.bias());
        }
        Tensor best = e.max(-1, true);
        Tensor visible = best.gt(Tensor.scalar(e.backend(), Float.NEGATIVE_INFINITY));
        Tensor index = e.argmax(-1, true); // (B, L, 1)
        Tensor positions = Tensor.arange(e.backend(), e.size(-1)); // (S)
        Tensor a = positions.eq(index).mul(visible); // one-hot (B, L, S)
        Tensor c = a.matmul(values);
        return single ? new AttentionOutput(c.squeeze(1), a.squeeze(1)) : new AttentionOutput(c, a);
    }

    /** A {@code (B, S)} mask is the key padding: viewed as {@code (B, 1, S)} to broadcast over queries. */
    private static Mask keyMask(Mask mask, Tensor keys) {
        if (mask != null && mask.shape().length == 2 && mask.shape()[0] == keys.size(0) && mask.shape()[1] == keys.size(1)) {
            return Mask.additive(mask.bias().unsqueeze(1));
        }
        return mask;
    }

    private boolean check(Tensor query, Tensor keys, Tensor values) {
        if (keys.rank() != 3 || values.rank() != 3 || (query.rank() != 2 && query.rank() != 3)) {
            throw new IllegalArgumentException(op() + ": expected query (B, L, Dq) or (B, Dq), keys (B, S, Dk) and values"
                    + " (B, S, Dv), got query " + Arrays.toString(query.shape()) + ", keys " + Arrays.toString(keys.shape())
                    + ", values " + Arrays.toString(values.shape()));
        }
        if (query.size(0) != keys.size(0) || values.size(0) != keys.size(0) || values.size(1) != keys.size(1)) {
            throw new IllegalArgumentException(op() + ": query " + Arrays.toString(query.shape()) + ", keys "
                    + Arrays.toString(keys.shape()) + " and values " + Arrays.toString(values.shape())
                    + " must share the batch size, and keys and values the length");
        }
        checkWidths(query, keys);
        return query.rank() == 2;
    }

    static String shapes(Tensor a, Tensor b) {
        return Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape());
    }
}
