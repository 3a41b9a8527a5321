package dev.sequor.nn.recurrent;

import dev.sequor.core.FusedKernels;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

/**
 * One LSTM step {@code (x_t, (h, c)) -> (h_t, c_t)}, PyTorch's {@code nn.LSTMCell} with parameters
 * {@code weight_ih} (G*H, in), {@code weight_hh} (G*H, P), {@code bias_ih}, {@code bias_hh} (G*H),
 * and the variants of {@link LstmConfig}: peepholes, coupled input-forget gate, projection
 * ({@code weight_hr} (P, H)), layer-normalised gates, forget-gate bias. The equations are in
 * {@link LstmWeights}. Shapes: x (B, in), h (B, P), c (B, H) with P = projSize or H.
 *
 * <p>The plain cell runs the backend's fused LSTM kernel for one step (one autograd node); variants
 * compose Tensor ops.
 */
public class LstmCell extends Module {

    private final LstmConfig cfg;
    private final LstmWeights w;

    /** A cell on the session backend. */
    public LstmCell(LstmConfig cfg) {
        this(Backends.get(), cfg);
    }

    /**
     * @param cfg inputSize, hiddenSize and the cell options; the layer options (numLayers,
     *            bidirectional, dropout, zoneout) must keep their defaults
     */
    public LstmCell(Backend backend, LstmConfig cfg) {
        super(backend);
        CellChecks.singleLayer("LstmCell", cfg.numLayers(), cfg.bidirectional(), cfg.dropout());
        if (cfg.zoneoutHidden() != 0f || cfg.zoneoutCell() != 0f) {
            throw new IllegalArgumentException("LstmCell: zoneout is a layer option (Lstm), not a cell's");
        }
        this.cfg = cfg;
        this.w = LstmWeights.create(backend, cfg, this::registerParameter, "", cfg.inputSize(), cfg.seed().value() * 7919L);
    }

    /** One step from zero state. @param x (B, in) @return (h_t (B, P), c_t (B, H)) */
    public RecurrentState forward(Tensor x) {
        return forward(x, null);
    }

    /**
     * One step.
     *
     * @param x     (B, in)
     * @param state (h (B, P), c (B, H)), or null for zeros
     * @return (h_t, c_t)
     */
    public RecurrentState forward(Tensor x, RecurrentState state) {
        CellChecks.input("LstmCell", x, cfg.inputSize());
        int b = x.size(0);
        Tensor h = state == null ? Tensor.zeros(backend(), b, cfg.outputSize()) : state.h();
        Tensor c = state == null ? Tensor.zeros(backend(), b, cfg.hiddenSize()) : state.c();
        CellChecks.state("LstmCell", "h", h, b, cfg.outputSize());
        CellChecks.state("LstmCell", "c", c, b, cfg.hiddenSize());
        Tensor xProj = w.inputProjection(x);   // (B, G*H)
        if (cfg.fusable()) {
            Tensor[] r = FusedKernels.lstm(xProj.reshape(b, 1, 4 * cfg.hiddenSize()), w.wHh(), h, c, null, false);
            return new RecurrentState(r[1], r[2]);
        }
        Tensor[] r = w.step(xProj, h, c);
        return new RecurrentState(r[0], r[1]);
    }

    /** @return the configuration */
    public LstmConfig config() {
        return cfg;
    }
}
