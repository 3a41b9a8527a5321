package dev.sequor.nn.recurrent;

import dev.sequor.core.FusedKernels;
import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

/**
 * One Elman step {@code h_t = act(x W_ih^T + b_ih + h W_hh^T + b_hh)} with act tanh or ReLU,
 * PyTorch's {@code nn.RNNCell} (parameters {@code weight_ih} (H, in), {@code weight_hh} (H, H),
 * {@code bias_ih}, {@code bias_hh} (H)). Shapes: x (B, in), h (B, H). Runs the backend's fused RNN
 * kernel for one step.
 */
public class RnnCell extends Module {

    private final RnnConfig cfg;
    private final Tensor wIh;
    private final Tensor wHh;
    private final Tensor bIh;
    private final Tensor bHh;

    /** A cell on the session backend. */
    public RnnCell(RnnConfig cfg) {
        this(Backends.get(), cfg);
    }

    /** @param cfg inputSize, hiddenSize, bias, nonlinearity, init, seed; layer options must be defaults */
    public RnnCell(Backend backend, RnnConfig cfg) {
        super(backend);
        CellChecks.singleLayer("RnnCell", cfg.numLayers(), cfg.bidirectional(), cfg.dropout());
        this.cfg = cfg;
        int h = cfg.hiddenSize();
        float k = (float) (1.0 / Math.sqrt(h));
        long seed = cfg.seed().value() * 7919L;
        wIh = registerParameter("weight_ih", Tensor.uniform(backend, -k, k, Seed.of(seed), h, cfg.inputSize()));
        wHh = registerParameter("weight_hh", cfg.init().recurrentWeight(backend, 1, h, h, k, seed + 1));
        bIh = cfg.bias() ? registerParameter("bias_ih", Tensor.uniform(backend, -k, k, Seed.of(seed + 2), h)) : null;
        bHh = cfg.bias() ? registerParameter("bias_hh", Tensor.uniform(backend, -k, k, Seed.of(seed + 3), h)) : null;
    }

    /** One step. @param x (B, in) @param h (B, H), or null for zeros @return h_t (B, H) */
    public Tensor forward(Tensor x, Tensor h) {
        CellChecks.input("RnnCell", x, cfg.inputSize());
        int b = x.size(0);
        Tensor h0 = h == null ? Tensor.zeros(backend(), b, cfg.hiddenSize()) : h;
        CellChecks.state("RnnCell", "h", h0, b, cfg.hiddenSize());
        Tensor xProj = x.matmulTransposed(wIh);
        if (bIh != null) {
            xProj = xProj.add(bIh.add(bHh));
        }
        return FusedKernels.rnn(cfg.nonlinearity(), xProj.reshape(b, 1, cfg.hiddenSize()), wHh, h0, null, false)[1];
    }

    /** @return the configuration */
    public RnnConfig config() {
        return cfg;
    }
}
