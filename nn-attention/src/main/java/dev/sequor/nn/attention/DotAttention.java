package dev.sequor.nn.attention;

import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

/**
 * Luong's dot attention (Luong, Pham and Manning 2015, eq. 8): {@code score(h_t, hbar_s) = h_t^T hbar_s},
 * no parameters; query and key widths must match. See {@link ScoredAttention}.
 */
public class DotAttention extends ScoredAttention {

    /** On the session backend. */
    public DotAttention() {
        this(Backends.get());
    }

    /** Holds no parameters; {@code backend} is where its results live. */
    public DotAttention(Backend backend) {
        super(backend);
    }

    @Override
    protected void checkWidths(Tensor query, Tensor keys) {
        if (query.size(-1) != keys.size(-1)) {
            throw new IllegalArgumentException("DotAttention: query and key widths differ: " + shapes(query, keys));
        }
    }

    @Override
    protected Tensor scores(Tensor query, Tensor keys) {
        return query.matmul(keys.transpose(1, 2)); // (B, L, S)
    }
}
