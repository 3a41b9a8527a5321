package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

import java.util.Arrays;
import java.util.List;

/**
 * One ConvLSTM step over feature maps (Shi et al. 2015): the LSTM's matrix products become 2-D
 * convolutions (*) with "same" padding, so the state keeps its spatial layout:
 * <pre>
 *   [a_i, a_f, a_g, a_o] = W * [X_t, H_{t-1}] + b          (one convolution, 4 hidden maps out)
 *   i = sigmoid(a_i)  f = sigmoid(a_f)  g = tanh(a_g)  o = sigmoid(a_o)
 *   C_t = f o C_{t-1} + i o g        H_t = o o tanh(C_t)        (o: elementwise)
 * </pre>
 * Shapes: X (B, inChannels, Hh, Ww), H and C (B, hiddenChannels, Hh, Ww). Parameters
 * {@code conv.weight (4*hidden, in + hidden, k, k)} and {@code conv.bias (4*hidden)}, the layout of
 * the widely used PyTorch ConvLSTM implementations. The paper's peephole terms
 * {@code W_c o C} are omitted, as in those implementations. Odd kernels only (same padding).
 */
public class ConvLstmCell extends Module {

    private final int in;
    private final int hidden;
    private final Conv2d conv;

    /** A cell on the session backend. */
    public ConvLstmCell(int inChannels, int hiddenChannels, int kernel, Seed seed) {
        this(Backends.get(), inChannels, hiddenChannels, kernel, seed);
    }

    /** @param kernel odd kernel size (padding kernel / 2 keeps the map size) */
    public ConvLstmCell(Backend backend, int inChannels, int hiddenChannels, int kernel, Seed seed) {
        super(backend);
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException("ConvLstmCell: kernel must be odd for same padding, got " + kernel);
        }
        this.in = inChannels;
        this.hidden = hiddenChannels;
        this.conv = registerModule("conv",
                new Conv2d(backend, inChannels + hiddenChannels, 4 * hiddenChannels, kernel, kernel / 2, true, seed));
    }

    /**
     * One step. @param x (B, in, Hh, Ww) @param state (H, C), each (B, hidden, Hh, Ww), or null for zeros
     * @return (H_t, C_t)
     */
    public RecurrentState forward(Tensor x, RecurrentState state) {
        int[] hs = ConvGruCell.checkMaps("ConvLstmCell", x, in, hidden);
        Tensor h = state == null ? Tensor.zeros(backend(), hs) : state.h();
        Tensor c = state == null ? Tensor.zeros(backend(), hs) : state.c();
        ConvGruCell.checkState("ConvLstmCell", "h", h, hs);
        ConvGruCell.checkState("ConvLstmCell", "c", c, hs);
        List<Tensor> a = conv.forward(Tensor.concat(1, x, h)).chunk(4, 1);   // 4 x (B, hidden, Hh, Ww)
        Tensor cNew = a.get(1).sigmoid().mul(c).add(a.get(0).sigmoid().mul(a.get(2).tanh()));
        Tensor hNew = a.get(3).sigmoid().mul(cNew.tanh());
        return new RecurrentState(hNew, cNew);
    }

    /** @return hidden channels */
    public int hiddenChannels() {
        return hidden;
    }

    static String str(int[] s) {
        return Arrays.toString(s);
    }
}
