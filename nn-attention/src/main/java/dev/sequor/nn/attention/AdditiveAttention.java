package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

/**
 * Additive attention (Bahdanau, Cho and Bengio 2015, appendix A.1.2):
 * {@code e_ij = v_a^T tanh(W_a s_i + U_a h_j)}, with decoder states (queries) {@code s_i} and encoder
 * annotations (keys) {@code h_j}. Parameters, named after the paper: {@code W_a (A, Dq)},
 * {@code U_a (A, Dk)}, {@code v_a (A)}, uniform in {@code [-1/sqrt(fan_in), 1/sqrt(fan_in))}.
 * See {@link ScoredAttention} for shapes, masks and the hard variant.
 *
 * <p>Cost: the {@code (B, L, S, A)} tensor of {@code tanh} arguments is materialised; fine for the
 * usual one query per decoder step.
 */
public class AdditiveAttention extends ScoredAttention {

    private final Tensor wa;
    private final Tensor ua;
    private final Tensor va;

    /** Query and key width {@code dim}, attention width {@code dim}, on the session backend. */
    public AdditiveAttention(int dim, Seed seed) {
        this(Backends.get(), dim, dim, dim, seed);
    }

    /**
     * @param queryDim     {@code Dq}, the decoder state width
     * @param keyDim       {@code Dk}, the annotation width
     * @param attentionDim {@code A}, the hidden width of the alignment model
     */
    public AdditiveAttention(Backend backend, int queryDim, int keyDim, int attentionDim, Seed seed) {
        super(backend);
        if (queryDim <= 0 || keyDim <= 0 || attentionDim <= 0) {
            throw new IllegalArgumentException("AdditiveAttention: sizes must be positive, got queryDim=" + queryDim
                    + " keyDim=" + keyDim + " attentionDim=" + attentionDim);
        }
        wa = registerParameter("W_a", uniform(backend, queryDim, seed.value(), attentionDim, queryDim));
        ua = registerParameter("U_a", uniform(backend, keyDim, seed.value() + 1, attentionDim, keyDim));
        va = registerParameter("v_a", uniform(backend, attentionDim, seed.value() + 2, attentionDim));
    }

    private static Tensor uniform(Backend backend, int fanIn, long seed, int... shape) {
        float bound = (float) (1 / Math.sqrt(fanIn));
        return Tensor.uniform(backend, -bound, bound, Seed.of(seed), shape);
    }

    @Override
    protected void checkWidths(Tensor query, Tensor keys) {
        if (query.size(-1) != wa.size(1) || keys.size(-1) != ua.size(1)) {
            throw new IllegalArgumentException("AdditiveAttention: expected query width " + wa.size(1) + " and key width "
                    + ua.size(1) + ", got query and keys " + shapes(query, keys));
        }
    }

    @Override
    protected Tensor scores(Tensor query, Tensor keys) {
        Tensor ws = query.matmulTransposed(wa).unsqueeze(2); // (B, L, 1, A)
        Tensor uh = keys.matmulTransposed(ua).unsqueeze(1); // (B, 1, S, A)
        Tensor h = ws.add(uh).tanh(); // (B, L, S, A)
        return h.matmulTransposed(va.unsqueeze(0)).squeeze(-1); // (B, L, S)
    }
}
