package dev.sequor.nn;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.CounterRng;

/**
 * Stateless forms of the layers, as PyTorch's {@code torch.nn.functional}: activations, dropout
 * and the normalizations. Each is differentiable through the tape.
 */
public final class Functional {

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

    private Functional() {
    }

    /** @return {@code tanh x}, any shape */
    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    /** @return {@code sigma(x) = 1 / (1 + e^-x)}, any shape */
    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    /** @return {@code max(x, 0)}, any shape */
    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    /** @return exact GELU {@code x Phi(x)} (Hendrycks and Gimpel, 2016), PyTorch's default, any shape */
    public static Tensor gelu(Tensor x) {
        return x.gelu();
    }

    /**
     * @return the tanh approximation of GELU, PyTorch's {@code approximate='tanh'}:
     *         {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}
     */
    public static Tensor geluTanh(Tensor x) {
        Tensor inner = x.add(x.square().mul(x).mul(0.044715f)).mul(SQRT_2_OVER_PI);
        return x.mul(inner.tanh().add(1f)).mul(0.5f);
    }

    /** @return softmax along {@code axis} (negative counts from the end) */
    public static Tensor softmax(Tensor x, int axis) {
        return x.softmax(axis);
    }

    /** @return log-softmax along {@code axis} */
    public static Tensor logSoftmax(Tensor x, int axis) {
        return x.logSoftmax(axis);
    }

    /**
     * Inverted dropout (Srivastava et al., 2014): {@code y = x * m / (1 - p)} with
     * {@code m ~ Bernoulli(1 - p)} drawn from {@code seed}; identity when not training or
     * {@code p == 0}, zeros when {@code p == 1}. The same seed gives the same mask on every backend.
     *
     * @param p the probability of zeroing an element, in {@code [0, 1]}
     */
    public static Tensor dropout(Tensor x, float p, boolean training, Seed seed) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout: probability must be in [0, 1], got " + p);
        }
        if (!training || p == 0f) {
            return x;
        }
        if (p == 1f) {
            return x.mul(0f);
        }
        Tensor mask = Tensor.bernoulli(x.backend(), 1f - p, seed, x.shape()).mul(1f / (1f - p));
        return x.mul(mask);
    }

    /** @return the seed of draw {@code step} of a stream seeded {@code seed} (a fresh mask per call) */
    static long stepSeed(long seed, long step) {
        return CounterRng.bits(seed, step);
    }

    /**
     * Layer normalization over the trailing {@code normalizedShape} dimensions through the fused
     * {@link dev.sequor.spi.Backend#layerNormForward} kernel: {@code y = (x - mu) / sqrt(sigma^2 + eps) * weight + bias}
     * with {@code mu}, {@code sigma^2} (biased) over those dimensions.
     *
     * @param weight null or shaped {@code normalizedShape}; {@code bias} likewise
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, float eps) {
        return LayerNormOp.apply(x, normalizedShape, weight, bias, eps);
    }

    /**
     * RMS normalization (Zhang and Sennrich, 2019), PyTorch's {@code nn.RMSNorm}:
     * {@code y = x / sqrt(mean(x^2) + eps) * weight} with the mean over the trailing
     * {@code normalizedShape} dimensions.
     *
     * @param weight null or shaped {@code normalizedShape}
     */
    public static Tensor rmsNorm(Tensor x, int[] normalizedShape, Tensor weight, float eps) {
        int cols = NormShapes.checkTrailing("RMSNorm", x, normalizedShape);
        NormShapes.checkParam("RMSNorm", "weight", weight, normalizedShape);
        int[] shape = x.shape();
        Tensor rows = x.reshape(-1, cols);
        Tensor y = rows.mul(rows.square().mean(1, true).add(eps).rsqrt()).reshape(shape);
        return weight == null ? y : y.mul(weight);
    }
}
