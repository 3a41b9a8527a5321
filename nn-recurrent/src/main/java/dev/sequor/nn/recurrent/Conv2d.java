package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.FusedKernels;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Conv2dShape;

import java.util.Arrays;

/**
 * 2-D convolution (cross-correlation) over feature maps {@code (B, C, H, W) -> (B, O, outH, outW)},
 * PyTorch's {@code nn.Conv2d} with zero padding: parameters {@code weight (O, C, kH, kW)} and
 * {@code bias (O)}, initialised uniform in {@code [-1/sqrt(C kH kW), 1/sqrt(C kH kW))}. The op
 * itself is {@link #conv2d}, one autograd node over the backend's {@code conv2dForward/Backward}
 * (im2col + GEMM by default).
 */
public class Conv2d extends Module {

    private final int in;
    private final int out;
    private final int kernel;
    private final int padding;
    private final Tensor weight;
    private final Tensor bias;

    /** A square-kernel, stride-1 convolution on the session backend. */
    public Conv2d(int inChannels, int outChannels, int kernel, int padding, Seed seed) {
        this(Backends.get(), inChannels, outChannels, kernel, padding, true, seed);
    }

    /**
     * @param kernel  kH = kW
     * @param padding zeros on each side ({@code kernel / 2} keeps the size for odd kernels)
     */
    public Conv2d(Backend backend, int inChannels, int outChannels, int kernel, int padding, boolean bias, Seed seed) {
        super(backend);
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: channels and kernel must be positive and padding >= 0, got in="
                    + inChannels + " out=" + outChannels + " kernel=" + kernel + " padding=" + padding);
        }
        this.in = inChannels;
        this.out = outChannels;
        this.kernel = kernel;
        this.padding = padding;
        float k = (float) (1.0 / Math.sqrt((double) inChannels * kernel * kernel));
        this.weight = registerParameter("weight",
                Tensor.uniform(backend, -k, k, seed, outChannels, inChannels, kernel, kernel));
        this.bias = bias ? registerParameter("bias", Tensor.uniform(backend, -k, k, Seed.of(seed.value() + 1), outChannels)) : null;
    }

    /** @param x (B, C, H, W) @return (B, O, H + 2p - k + 1, W + 2p - k + 1) */
    public Tensor forward(Tensor x) {
        return conv2d(x, weight, bias, padding, 1);
    }

    /**
     * {@code y[b, o] = bias[o] + sum_c weight[o, c] (*) xpad[b, c]} (cross-correlation with stride).
     *
     * @param x      (B, C, H, W)
     * @param weight (O, C, kH, kW)
     * @param bias   (O) or null
     * @return (B, O, outH, outW)
     * @throws IllegalArgumentException naming both shapes when they do not fit
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int padding, int stride) {
        if (x.rank() != 4 || weight.rank() != 4 || x.size(1) != weight.size(1)
                || bias != null && (bias.rank() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("conv2d: input " + Arrays.toString(x.shape()) + " must be (B, C, H, W)"
                    + " and weight " + Arrays.toString(weight.shape()) + " (O, C, kH, kW) with the same C"
                    + (bias == null ? "" : ", bias " + Arrays.toString(bias.shape()) + " (O)"));
        }
        Conv2dShape s = new Conv2dShape(x.size(0), x.size(1), x.size(2), x.size(3), weight.size(0), weight.size(2),
                weight.size(3), padding, padding, stride, stride);
        return FusedKernels.conv2d(s, x, weight, bias);
    }

    /** @return the (O, C, k, k) weight */
    public Tensor weight() {
        return weight;
    }

    /** @return input channels */
    public int inChannels() {
        return in;
    }

    /** @return output channels */
    public int outChannels() {
        return out;
    }

    /** @return the kernel size */
    public int kernel() {
        return kernel;
    }
}
