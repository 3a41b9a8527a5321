package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

import java.util.Arrays;
import java.util.List;

/**
 * One ConvGRU step over feature maps (Ballas et al. 2016, the convolutional form of Cho et al.'s
 * GRU, in the spirit of Shi et al. 2015), with "same" padding:
 * <pre>
 *   [a_r, a_z] = W_g * [X_t, H_{t-1}] + b_g
 *   r = sigmoid(a_r)   z = sigmoid(a_z)
 *   N = tanh(W_n * [X_t, r o H_{t-1}] + b_n)
 *   H_t = (1 - z) o N + z o H_{t-1}
 * </pre>
 * Shapes: X (B, inChannels, Hh, Ww), H (B, hiddenChannels, Hh, Ww). Parameters
 * {@code conv_gates.weight (2*hidden, in + hidden, k, k)}, {@code conv_gates.bias},
 * {@code conv_can.weight (hidden, in + hidden, k, k)}, {@code conv_can.bias}.
 */
public class ConvGruCell extends Module {

    private final int in;
    private final int hidden;
    private final Conv2d gates;
    private final Conv2d candidate;

    /** A cell on the session backend. */
    public ConvGruCell(int inChannels, int hiddenChannels, int kernel, Seed seed) {
        this(Backends.get(), inChannels, hiddenChannels, kernel, seed);
    }

    /** @param kernel odd kernel size */
    public ConvGruCell(Backend backend, int inChannels, int hiddenChannels, int kernel, Seed seed) {
        super(backend);
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException("ConvGruCell: kernel must be odd for same padding, got " + kernel);
        }
        this.in = inChannels;
        this.hidden = hiddenChannels;
        int both = inChannels + hiddenChannels;
        this.gates = registerModule("conv_gates", new Conv2d(backend, both, 2 * hiddenChannels, kernel, kernel / 2,
                true, seed));
        this.candidate = registerModule("conv_can", new Conv2d(backend, both, hiddenChannels, kernel, kernel / 2,
                true, Seed.of(seed.value() + 2)));
    }

    /** One step. @param x (B, in, Hh, Ww) @param h (B, hidden, Hh, Ww) or null for zeros @return H_t */
    public Tensor forward(Tensor x, Tensor h) {
        int[] hs = checkMaps("ConvGruCell", x, in, hidden);
        Tensor h0 = h == null ? Tensor.zeros(backend(), hs) : h;
        checkState("ConvGruCell", "h", h0, hs);
        List<Tensor> rz = gates.forward(Tensor.concat(1, x, h0)).chunk(2, 1);
        Tensor r = rz.get(0).sigmoid();
        Tensor z = rz.get(1).sigmoid();
        Tensor n = candidate.forward(Tensor.concat(1, x, r.mul(h0))).tanh();
        return n.add(z.mul(h0.sub(n)));
    }

    /** @return hidden channels */
    public int hiddenChannels() {
        return hidden;
    }

    /** @return the state shape (B, hidden, Hh, Ww) for input x, after checking x */
    static int[] checkMaps(String cell, Tensor x, int in, int hidden) {
        if (x.rank() != 4 || x.size(1) != in) {
            throw new IllegalArgumentException(cell + ": input must be (B, " + in + ", H, W), got "
                    + Arrays.toString(x.shape()));
        }
        return new int[] {x.size(0), hidden, x.size(2), x.size(3)};
    }

    static void checkState(String cell, String name, Tensor s, int[] expected) {
        if (s == null || !Arrays.equals(s.shape(), expected)) {
            throw new IllegalArgumentException(cell + ": state " + name + " has shape "
                    + (s == null ? "null" : Arrays.toString(s.shape())) + ", expected " + Arrays.toString(expected));
        }
    }
}
