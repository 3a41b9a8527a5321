package dev.sequor.nn;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;
import dev.sequor.spi.CounterRng;

import java.util.Arrays;

/**
 * Parameter initializers with PyTorch's {@code torch.nn.init} meaning, all seeded: the same seed
 * gives the same values on every backend. Each comes in two forms: one returns a new tensor of a
 * shape, the other fills a given tensor in place (unrecorded, so it may be a parameter) and returns it.
 *
 * <p>Fans as PyTorch: for a shape {@code (out, in, k...)}, {@code fanIn = in * prod(k)} and
 * {@code fanOut = out * prod(k)}; rank-1 tensors have no fans.
 */
public final class Init {

    /** Which fan Kaiming initialization preserves: the forward pass's ({@code FAN_IN}) or the backward's. */
    public enum FanMode { FAN_IN, FAN_OUT }

    private Init() {
    }

    /**
     * PyTorch's {@code calculate_gain}: 1 for linear/conv/sigmoid, 5/3 for tanh, sqrt 2 for relu,
     * {@code sqrt(2 / (1 + a^2))} for leaky_relu with negative slope {@code a}, 3/4 for selu.
     *
     * @param nonlinearity one of linear, conv1d, conv2d, conv3d, sigmoid, tanh, relu, leaky_relu, selu
     * @param param        the leaky_relu negative slope (ignored otherwise)
     */
    public static double calculateGain(String nonlinearity, double param) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                 "conv_transpose3d", "sigmoid" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> Math.sqrt(2.0 / (1 + param * param));
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("calculateGain: unsupported nonlinearity '" + nonlinearity
                    + "' (linear, conv1d/2d/3d, sigmoid, tanh, relu, leaky_relu, selu)");
        };
    }

    /** @return {@code (fanIn, fanOut)} of {@code shape}, as PyTorch's {@code _calculate_fan_in_and_fan_out} */
    public static int[] fans(int[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("fan in and fan out cannot be computed for a tensor with fewer than 2"
                    + " dimensions, shape " + Arrays.toString(shape));
        }
        int receptive = 1;
        for (int i = 2; i < shape.length; i++) {
            receptive *= shape[i];
        }
        return new int[] {shape[1] * receptive, shape[0] * receptive};
    }

    // ------------------------------------------------------------------ new tensors

    /** @return draws from U[lo, hi) */
    public static Tensor uniform(Backend be, float lo, float hi, Seed seed, int... shape) {
        return Tensor.uniform(be, lo, hi, seed, shape);
    }

    /** @return draws from N(mean, std^2) */
    public static Tensor normal(Backend be, float mean, float std, Seed seed, int... shape) {
        return Tensor.normal(be, mean, std, seed, shape);
    }

    /** @return {@code value} everywhere */
    public static Tensor constant(Backend be, float value, int... shape) {
        return Tensor.full(be, value, shape);
    }

    /**
     * Glorot and Bengio (2010): {@code U[-a, a)} with {@code a = gain sqrt(6 / (fanIn + fanOut))}.
     */
    public static Tensor xavierUniform(Backend be, double gain, Seed seed, int... shape) {
        int[] f = fans(shape);
        float a = (float) (gain * Math.sqrt(6.0 / (f[0] + f[1])));
        return Tensor.uniform(be, -a, a, seed, shape);
    }

    /** Glorot and Bengio (2010): {@code N(0, std^2)} with {@code std = gain sqrt(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal(Backend be, double gain, Seed seed, int... shape) {
        int[] f = fans(shape);
        return Tensor.normal(be, 0f, (float) (gain * Math.sqrt(2.0 / (f[0] + f[1]))), seed, shape);
    }

    /**
     * He et al. (2015): {@code U[-b, b)} with {@code b = gain sqrt(3 / fan)}, {@code gain =
     * calculateGain(nonlinearity, a)}. PyTorch's defaults are {@code a = 0}, FAN_IN, leaky_relu.
     */
    public static Tensor kaimingUniform(Backend be, double a, FanMode mode, String nonlinearity, Seed seed,
                                        int... shape) {
        float bound = (float) (kaimingStd(shape, a, mode, nonlinearity) * Math.sqrt(3.0));
        return Tensor.uniform(be, -bound, bound, seed, shape);
    }

    /** He et al. (2015): {@code N(0, std^2)} with {@code std = gain / sqrt(fan)}. */
    public static Tensor kaimingNormal(Backend be, double a, FanMode mode, String nonlinearity, Seed seed,
                                       int... shape) {
        return Tensor.normal(be, 0f, (float) kaimingStd(shape, a, mode, nonlinearity), seed, shape);
    }

    private static double kaimingStd(int[] shape, double a, FanMode mode, String nonlinearity) {
        int[] f = fans(shape);
        int fan = mode == FanMode.FAN_IN ? f[0] : f[1];
        return calculateGain(nonlinearity, a) / Math.sqrt(fan);
    }

    /**
     * Saxe et al. (2014): a (semi-)orthogonal matrix times {@code gain}, from the QR decomposition of
     * an N(0, 1) matrix of shape {@code (rows, numel / rows)} (transposed when wide) with R's diagonal
     * made positive, as PyTorch's {@code orthogonal_}. Rows are orthonormal when {@code rows <= cols},
     * columns otherwise.
     */
    public static Tensor orthogonal(Backend be, double gain, Seed seed, int... shape) {
        return Tensor.of(be, Orthogonal.matrix(shape, gain, seed.value()), shape);
    }

    /** @return the identity matrix {@code (rows, cols)} (ones on the main diagonal), e.g. IRNN's recurrent weight */
    public static Tensor eye(Backend be, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < Math.min(rows, cols); i++) {
            v[i * cols + i] = 1f;
        }
        return Tensor.of(be, v, rows, cols);
    }

    // ------------------------------------------------------------------ in place

    /** Fills {@code t} with U[lo, hi) draws. @return t */
    public static Tensor uniform(Tensor t, float lo, float hi, Seed seed) {
        return fill(t, uniform(t.backend(), lo, hi, seed, t.shape()));
    }

    /** Fills {@code t} with N(mean, std^2) draws. @return t */
    public static Tensor normal(Tensor t, float mean, float std, Seed seed) {
        return fill(t, normal(t.backend(), mean, std, seed, t.shape()));
    }

    /** Fills {@code t} with {@code value}. @return t */
    public static Tensor constant(Tensor t, float value) {
        return t.fillInPlace(value);
    }

    /** Fills {@code t} as {@link #xavierUniform(Backend, double, Seed, int...)}. @return t */
    public static Tensor xavierUniform(Tensor t, double gain, Seed seed) {
        return fill(t, xavierUniform(t.backend(), gain, seed, t.shape()));
    }

    /** Fills {@code t} as {@link #xavierUniform(Backend, double, Seed, int...)} with gain 1. @return t */
    public static Tensor xavierUniform(Tensor t, Seed seed) {
        return xavierUniform(t, 1.0, seed);
    }

    /** Fills {@code t} as {@link #xavierNormal(Backend, double, Seed, int...)}. @return t */
    public static Tensor xavierNormal(Tensor t, double gain, Seed seed) {
        return fill(t, xavierNormal(t.backend(), gain, seed, t.shape()));
    }

    /** Fills {@code t} as {@link #kaimingUniform(Backend, double, FanMode, String, Seed, int...)}. @return t */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, String nonlinearity, Seed seed) {
        return fill(t, kaimingUniform(t.backend(), a, mode, nonlinearity, seed, t.shape()));
    }

    /** Fills {@code t} with PyTorch's {@code kaiming_uniform_} defaults: a = 0, FAN_IN, leaky_relu. @return t */
    public static Tensor kaimingUniform(Tensor t, Seed seed) {
        return kaimingUniform(t, 0, FanMode.FAN_IN, "leaky_relu", seed);
    }

    /** Fills {@code t} as {@link #kaimingNormal(Backend, double, FanMode, String, Seed, int...)}. @return t */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, String nonlinearity, Seed seed) {
        return fill(t, kaimingNormal(t.backend(), a, mode, nonlinearity, seed, t.shape()));
    }

    /** Fills {@code t} as {@link #orthogonal(Backend, double, Seed, int...)}. @return t */
    public static Tensor orthogonal(Tensor t, double gain, Seed seed) {
        return fill(t, orthogonal(t.backend(), gain, seed, t.shape()));
    }

    /** Fills a rank-2 {@code t} with the identity matrix. @return t */
    public static Tensor eye(Tensor t) {
        if (t.rank() != 2) {
            throw new IllegalArgumentException("eye: needs a rank-2 tensor, got shape " + Arrays.toString(t.shape()));
        }
        return fill(t, eye(t.backend(), t.size(0), t.size(1)));
    }

    private static Tensor fill(Tensor t, Tensor values) {
        try (values) {
            return t.assign(values);
        }
    }

    /** @return the standard normal draws {@code Tensor.normal(be, 0, 1, seed, ...)} makes, in double */
    static double[] normals(long seed, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = CounterRng.normal(seed, i);
        }
        return v;
    }
}
