package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

import java.util.Arrays;

/**
 * Learned absolute positional embeddings (Gehring et al. 2017; as in BERT and GPT): a trained table
 * {@code weight (maxLength, d)}, initialised {@code N(0, 1)} as PyTorch's {@code nn.Embedding}, whose row
 * {@code pos} is added to the input at position {@code pos}. Inputs {@code (B, T, d)}.
 */
public class LearnedPositionalEncoding extends Module {

    private final Tensor weight;
    private final int maxLength;

    /** On the session backend. */
    public LearnedPositionalEncoding(int maxLength, int dModel, Seed seed) {
        this(Backends.get(), maxLength, dModel, seed);
    }

    /** A table of {@code maxLength} positions of width {@code dModel}. */
    public LearnedPositionalEncoding(Backend backend, int maxLength, int dModel, Seed seed) {
        super(backend);
        if (dModel <= 0 || maxLength <= 0) {
            throw new IllegalArgumentException("LearnedPositionalEncoding: sizes must be positive, got maxLength="
                    + maxLength + " dModel=" + dModel);
        }
        this.maxLength = maxLength;
        this.weight = registerParameter("weight", Tensor.normal(backend, 0f, 1f, seed, maxLength, dModel));
    }

    /** @param x {@code (B, T, d)} @return {@code x + weight[0 .. T)} */
    public Tensor forward(Tensor x) {
        return forward(x, 0);
    }

    /** @return {@code x + weight[offset .. offset + T)}, for incremental decoding */
    public Tensor forward(Tensor x, int offset) {
        if (x.rank() != 3 || x.size(2) != weight.size(1)) {
            throw new IllegalArgumentException("LearnedPositionalEncoding: expected (B, T, " + weight.size(1) + "), got "
                    + Arrays.toString(x.shape()));
        }
        return x.add(rows(weight, offset, x.size(1), maxLength, "LearnedPositionalEncoding"));
    }

    static Tensor rows(Tensor table, int offset, int length, int maxLength, String op) {
        if (offset < 0 || offset + length > maxLength) {
            throw new IndexOutOfBoundsException(op + ": positions [" + offset + ", " + (offset + length)
                    + ") out of bounds for maxLength " + maxLength);
        }
        return table.narrow(0, offset, length);
    }
}
