package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Layer;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

/**
 * 1-D convolution (cross-correlation) over time, PyTorch's {@code nn.Conv1d}: the time-delay neural
 * network of Waibel et al. (1989) and the text CNN of Kim (2014). For input {@code x (B, C, L)},
 * <pre>
 *   y[b, o, t] = bias[o] + sum_c sum_j weight[o, c, j] * xpad[b, c, t * stride + j * dilation]
 * </pre>
 * with {@code xpad} the input with {@code padding} zeros at both ends, giving {@code (B, O, Lout)},
 * {@code Lout = floor((L + 2 padding - dilation (k - 1) - 1) / stride) + 1}. Parameters
 * {@code weight (O, C, k)} and {@code bias (O)}, initialised uniform in {@code [-1/sqrt(C k), 1/sqrt(C k))}
 * as PyTorch. Written in Tensor ops (window select, one GEMM), so autograd gives the gradient.
 * Sequences are channels-first as PyTorch's conv; {@code x.transpose(1, 2)} turns a batch-first
 * {@code (B, T, F)} sequence into {@code (B, F, T)}.
 */
public class Conv1d extends Module implements Layer {

    private final Conv1dConfig config;
    private final Tensor weight;
    private final Tensor bias;

    /** A convolution on the session backend. */
    public Conv1d(Conv1dConfig config) {
        this(Backends.get(), config);
    }

    /** A convolution on {@code backend}. */
    public Conv1d(Backend backend, Conv1dConfig config) {
        super(backend);
        this.config = config;
        float k = (float) (1.0 / Math.sqrt((double) config.inChannels() * config.kernel()));
        this.weight = registerParameter("weight", Tensor.uniform(backend, -k, k, Seed.of(config.seed()),
                config.outChannels(), config.inChannels(), config.kernel()));
        this.bias = config.bias()
                ? registerParameter("bias", Tensor.uniform(backend, -k, k, Seed.of(config.seed() + 1), config.outChannels()))
                : null;
    }

    /** @param x (B, C, L) @return (B, O, Lout) */
    @Override
    public Tensor forward(Tensor x) {
        return conv1d(x, weight, bias, config.stride(), config.padding(), config.dilation());
    }

    /**
     * The functional form of {@link Conv1d}.
     *
     * @param x      (B, C, L)
     * @param weight (O, C, k)
     * @param bias   (O) or null
     * @return (B, O, Lout)
     * @throws IllegalArgumentException naming the shapes when they do not fit
     */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation) {
        if (x.rank() != 3 || weight.rank() != 3 || x.size(1) != weight.size(1)
                || bias != null && (bias.rank() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("conv1d: input " + Windows.str(x) + " must be (B, C, L) and weight "
                    + Windows.str(weight) + " (O, C, k) with the same C"
                    + (bias == null ? "" : ", bias " + Windows.str(bias) + " (O)"));
        }
        int b = x.size(0);
        int c = x.size(1);
        int o = weight.size(0);
        int k = weight.size(2);
        Tensor cols = Windows.unfold(x, 2, k, stride, padding, dilation, 0f, "conv1d");  // (B, C, Lout, k)
        int out = cols.size(2);
        cols = cols.permute(0, 2, 1, 3).reshape(b, out, c * k);                           // (B, Lout, C k)
        Tensor y = cols.matmulTransposed(weight.reshape(o, c * k));                       // (B, Lout, O)
        if (bias != null) {
            y = y.add(bias);
        }
        return y.transpose(1, 2);                                                         // (B, O, Lout)
    }

    /** @return the (O, C, k) weight */
    public Tensor weight() {
        return weight;
    }

    /** @return the configuration */
    public Conv1dConfig config() {
        return config;
    }
}
