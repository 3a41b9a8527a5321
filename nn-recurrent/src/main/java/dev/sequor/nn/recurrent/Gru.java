package dev.sequor.nn.recurrent;

import dev.sequor.core.FusedKernels;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

/**
 * A multi-layer, optionally bidirectional GRU over batch-first sequences (or time-major ones with
 * {@code withBatchFirst(false)}, PyTorch's default), PyTorch's
 * {@code nn.GRU(batch_first=True)} with the same parameter names and shapes
 * ({@code weight_ih_l{k}[_reverse]} (3H, in), {@code weight_hh_l{k}} (3H, H), {@code bias_ih_l{k}},
 * {@code bias_hh_l{k}} (3H)); the equations are in {@link GruWeights}.
 *
 * <p>The input projection of all steps is one GEMM; with {@code resetAfter} (PyTorch's form) and no
 * zoneout each layer direction is the backend's fused {@code gruSequenceForward}, one autograd node.
 * Cho's form and zoneout run step by step.
 */
public class Gru extends RecurrentLayer {

    private final GruConfig cfg;
    private final GruWeights[][] weights;

    /** A GRU on the session backend. */
    public Gru(GruConfig cfg) {
        this(Backends.get(), cfg);
    }

    /** A GRU whose parameters live on {@code backend}. */
    public Gru(Backend backend, GruConfig cfg) {
        super(backend, "Gru", cfg.inputSize(), cfg.hiddenSize(), cfg.hiddenSize(), cfg.numLayers(),
                cfg.bidirectional(), cfg.dropout(), false, cfg.seed().value(), cfg.batchFirst());
        this.cfg = cfg;
        int dirs = cfg.bidirectional() ? 2 : 1;
        this.weights = new GruWeights[cfg.numLayers()][dirs];
        for (int l = 0; l < cfg.numLayers(); l++) {
            for (int d = 0; d < dirs; d++) {
                long seed = cfg.seed().value() * 7919L + 101L * (l * dirs + d);
                weights[l][d] = GruWeights.create(backend, layerInput(l), cfg.hiddenSize(), cfg.bias(),
                        cfg.resetAfter(), cfg.init(), this::param, suffix(l, d == 1), seed);
            }
        }
    }

    /** @return the configuration */
    public GruConfig config() {
        return cfg;
    }

    @Override
    Tensor[] direction(int layer, boolean reverse, Tensor input, Tensor h0, Tensor c0, int[] lengths) {
        GruWeights w = weights[layer][reverse ? 1 : 0];
        Tensor xProj = w.inputProjection(input);   // (B, T, 3H)
        if (cfg.resetAfter() && cfg.zoneout() == 0f && !forceStepwise) {
            return FusedKernels.gru(xProj, w.wHh(), w.recurrentBias(), h0, lengths, reverse);
        }
        Zoneout z = Zoneout.of(cfg.zoneout(), 0f, isTraining(), this::nextSeed);
        return Stepwise.run(w::step, xProj, h0, null, lengths, reverse, z);
    }
}
