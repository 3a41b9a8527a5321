package dev.sequor.nn.recurrent;

import dev.sequor.core.FusedKernels;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

/**
 * One GRU step {@code (x_t, h) -> h_t}, PyTorch's {@code nn.GRUCell} (parameters {@code weight_ih}
 * (3H, in), {@code weight_hh} (3H, H), {@code bias_ih}, {@code bias_hh} (3H)), gates r, z, n:
 * <pre>
 *   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)      z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 *   resetAfter = true  (PyTorch, cuDNN):      n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 *   resetAfter = false (Cho et al. 2014):     n = tanh(W_in x + b_in + W_hn (r * h) + b_hn)
 *   h_t = (1 - z) * n + z * h
 * </pre>
 * Shapes: x (B, in), h (B, H). The PyTorch form runs the backend's fused GRU kernel for one step.
 */
public class GruCell extends Module {

    private final GruConfig cfg;
    private final GruWeights w;

    /** A cell on the session backend. */
    public GruCell(GruConfig cfg) {
        this(Backends.get(), cfg);
    }

    /** @param cfg inputSize, hiddenSize, bias, resetAfter, init, seed; layer options must be defaults */
    public GruCell(Backend backend, GruConfig cfg) {
        super(backend);
        CellChecks.singleLayer("GruCell", cfg.numLayers(), cfg.bidirectional(), cfg.dropout());
        if (cfg.zoneout() != 0f) {
            throw new IllegalArgumentException("GruCell: zoneout is a layer option (Gru), not a cell's");
        }
        this.cfg = cfg;
        this.w = GruWeights.create(backend, cfg.inputSize(), cfg.hiddenSize(), cfg.bias(), cfg.resetAfter(),
                cfg.init(), this::registerParameter, "", cfg.seed().value() * 7919L);
    }

    /**
     * One step. @param x (B, in) @param h (B, H), or null for zeros @return h_t (B, H)
     */
    public Tensor forward(Tensor x, Tensor h) {
        CellChecks.input("GruCell", x, cfg.inputSize());
        int b = x.size(0);
        Tensor h0 = h == null ? Tensor.zeros(backend(), b, cfg.hiddenSize()) : h;
        CellChecks.state("GruCell", "h", h0, b, cfg.hiddenSize());
        Tensor xProj = w.inputProjection(x);   // (B, 3H)
        if (cfg.resetAfter()) {
            return FusedKernels.gru(xProj.reshape(b, 1, 3 * cfg.hiddenSize()), w.wHh(), w.recurrentBias(), h0, null,
                    false)[1];
        }
        return w.step(xProj, h0, null)[0];
    }

    /** @return the configuration */
    public GruConfig config() {
        return cfg;
    }
}
