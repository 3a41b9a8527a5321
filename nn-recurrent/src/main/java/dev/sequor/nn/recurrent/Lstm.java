package dev.sequor.nn.recurrent;

import dev.sequor.core.FusedKernels;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

/**
 * A multi-layer, optionally bidirectional LSTM over batch-first sequences (or time-major ones with
 * {@code withBatchFirst(false)}, PyTorch's default), PyTorch's
 * {@code nn.LSTM(batch_first=True)} with the same parameter names and shapes
 * ({@code weight_ih_l{k}[_reverse]} (4H, in), {@code weight_hh_l{k}} (4H, P), {@code bias_ih_l{k}},
 * {@code bias_hh_l{k}} (4H), {@code weight_hr_l{k}} (P, H) with projection), plus the variants of
 * {@link LstmConfig}. The maths per step is in {@link LstmWeights}.
 *
 * <p>Speed: the input projection of all steps is one GEMM; the standard LSTM then runs each layer
 * direction as the backend's fused {@code lstmSequenceForward} (one autograd node whose backward is
 * {@code lstmSequenceBackward}). Variants and zoneout run step by step with Tensor ops.
 *
 * <pre>{@code
 * Lstm lstm = new Lstm(LstmConfig.of(32, 64).withLayers(2).withBidirectional(true));
 * RecurrentOutput r = lstm.forward(x);            // x (B, T, 32) -> r.output() (B, T, 128)
 * Tensor hN = r.hN();                             // (4, B, 64)
 * }</pre>
 */
public class Lstm extends RecurrentLayer {

    private final LstmConfig cfg;
    private final LstmWeights[][] weights;

    /** An LSTM on the session backend. */
    public Lstm(LstmConfig cfg) {
        this(Backends.get(), cfg);
    }

    /** An LSTM whose parameters live on {@code backend}. */
    public Lstm(Backend backend, LstmConfig cfg) {
        super(backend, "Lstm", cfg.inputSize(), cfg.hiddenSize(), cfg.outputSize(), cfg.numLayers(),
                cfg.bidirectional(), cfg.dropout(), true, cfg.seed().value(), cfg.batchFirst());
        this.cfg = cfg;
        int dirs = cfg.bidirectional() ? 2 : 1;
        this.weights = new LstmWeights[cfg.numLayers()][dirs];
        for (int l = 0; l < cfg.numLayers(); l++) {
            for (int d = 0; d < dirs; d++) {
                long seed = cfg.seed().value() * 7919L + 101L * (l * dirs + d);
                weights[l][d] = LstmWeights.create(backend, cfg, this::param, suffix(l, d == 1), layerInput(l), seed);
            }
        }
    }

    /** @return the configuration */
    public LstmConfig config() {
        return cfg;
    }

    @Override
    Tensor[] direction(int layer, boolean reverse, Tensor input, Tensor h0, Tensor c0, int[] lengths) {
        LstmWeights w = weights[layer][reverse ? 1 : 0];
        Tensor xProj = w.inputProjection(input);   // (B, T, G*H): one GEMM for all steps
        if (cfg.fusable() && !forceStepwise) {
            return FusedKernels.lstm(xProj, w.wHh(), h0, c0, lengths, reverse);
        }
        Zoneout z = Zoneout.of(cfg.zoneoutHidden(), cfg.zoneoutCell(), isTraining(), this::nextSeed);
        return Stepwise.run(w::step, xProj, h0, c0, lengths, reverse, z);
    }
}
