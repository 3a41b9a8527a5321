package dev.sequor.nn;

import dev.sequor.core.Backends;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import java.util.Arrays;

/**
 * Affine map {@code y = x W^T + b} over the last axis: {@code (..., in) -> (..., out)}. Parameters as
 * PyTorch: {@code weight (out, in)}, {@code bias (out)}, both initialised uniform in
 * {@code [-1/sqrt(in), 1/sqrt(in))}.
 */
public class Linear extends Module implements Layer {

    private final int in;
    private final int out;
    private final Tensor weight;
    private final Tensor bias;

    /** A linear layer with bias on the session backend, seeded for reproducible initialisation. */
    public Linear(int in, int out, Seed seed) {
        this(Backends.get(), in, out, true, seed);
    }

    /** @param bias whether to add a learned bias */
    public Linear(Backend backend, int in, int out, boolean bias, Seed seed) {
        super(backend);
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + in + " out=" + out);
        }
        this.in = in;
        this.out = out;
        float bound = (float) (1.0 / Math.sqrt(in));
        this.weight = registerParameter("weight", Tensor.uniform(backend, -bound, bound, seed, out, in));
        this.bias = bias ? registerParameter("bias", Tensor.uniform(backend, -bound, bound, Seed.of(seed.value() + 1), out)) : null;
    }

    /** @param x {@code (..., in)} @return {@code (..., out)} */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() == 0 || x.size(-1) != in) {
            throw new IllegalArgumentException("Linear: input " + Arrays.toString(x.shape())
                    + " does not end in the layer's input size " + in);
        }
        Tensor y = x.matmulTransposed(weight);
        return bias == null ? y : y.add(bias);
    }

    /** @return the {@code (out, in)} weight */
    public Tensor weight() {
        return weight;
    }

    /** @return the {@code (out)} bias, or null */
    public Tensor bias() {
        return bias;
    }

    /** @return input features */
    public int inFeatures() {
        return in;
    }

    /** @return output features */
    public int outFeatures() {
        return out;
    }
}
