package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import java.util.Arrays;

/**
 * Luong's general (bilinear) attention (Luong, Pham and Manning 2015, eq. 8):
 * {@code score(h_t, hbar_s) = h_t^T W_a hbar_s} with {@code W_a (Dq, Dk)}, uniform in
 * {@code [-1/sqrt(Dk), 1/sqrt(Dk))}. See {@link ScoredAttention}.
 */
public class GeneralAttention extends ScoredAttention {

    private final Tensor wa;

    /** Square {@code W_a} of size {@code dim} on the session backend. */
    public GeneralAttention(int dim, Seed seed) {
        this(Backends.get(), dim, dim, seed);
    }

    /**
     * @param queryDim {@code Dq}, the target hidden width
     * @param keyDim   {@code Dk}, the source hidden width
     */
    public GeneralAttention(Backend backend, int queryDim, int keyDim, Seed seed) {
        super(backend);
        if (queryDim <= 0 || keyDim <= 0) {
            throw new IllegalArgumentException("GeneralAttention: sizes must be positive, got queryDim=" + queryDim
                    + " keyDim=" + keyDim);
        }
        float bound = (float) (1 / Math.sqrt(keyDim));
        wa = registerParameter("W_a", Tensor.uniform(backend, -bound, bound, seed, queryDim, keyDim));
    }

    @Override
    protected void checkWidths(Tensor query, Tensor keys) {
        if (query.size(-1) != wa.size(0) || keys.size(-1) != wa.size(1)) {
            throw new IllegalArgumentException("GeneralAttention: W_a is " + Arrays.toString(wa.shape())
                    + " but query and keys are " + shapes(query, keys));
        }
    }

    @Override
    protected Tensor scores(Tensor query, Tensor keys) {
        // (h_t^T W_a) hbar_s: (B, L, Dq) @ (Dq, Dk) -> (B, L, Dk), then @ (B, Dk, S)
        return query.matmul(wa).matmul(keys.transpose(1, 2));
    }
}
