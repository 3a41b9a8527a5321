package dev.sequor.nn.recurrent;

import dev.sequor.core.FusedKernels;
import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;
import dev.sequor.spi.RnnActivation;

/**
 * A multi-layer, optionally bidirectional Elman RNN over batch-first sequences (or time-major ones with
 * {@code withBatchFirst(false)}, PyTorch's default), PyTorch's
 * {@code nn.RNN(batch_first=True)}: {@code h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)} with
 * act tanh or ReLU, parameters {@code weight_ih_l{k}[_reverse]} (H, in), {@code weight_hh_l{k}} (H, H),
 * {@code bias_ih_l{k}}, {@code bias_hh_l{k}} (H).
 *
 * <p>Each layer direction is one input GEMM and the backend's fused {@code rnnSequenceForward}
 * (one autograd node); zoneout runs step by step.
 */
public class Rnn extends RecurrentLayer {

    private final RnnConfig cfg;
    private final Tensor[][][] weights;   // [layer][direction] = {W_ih, W_hh, b_ih, b_hh}

    /** An RNN on the session backend. */
    public Rnn(RnnConfig cfg) {
        this(Backends.get(), cfg);
    }

    /** An RNN whose parameters live on {@code backend}. */
    public Rnn(Backend backend, RnnConfig cfg) {
        super(backend, "Rnn", cfg.inputSize(), cfg.hiddenSize(), cfg.hiddenSize(), cfg.numLayers(),
                cfg.bidirectional(), cfg.dropout(), false, cfg.seed().value(), cfg.batchFirst());
        this.cfg = cfg;
        int dirs = cfg.bidirectional() ? 2 : 1;
        int h = cfg.hiddenSize();
        float k = (float) (1.0 / Math.sqrt(h));
        this.weights = new Tensor[cfg.numLayers()][dirs][];
        for (int l = 0; l < cfg.numLayers(); l++) {
            for (int d = 0; d < dirs; d++) {
                long seed = cfg.seed().value() * 7919L + 101L * (l * dirs + d);
                String sfx = suffix(l, d == 1);
                Tensor wIh = param("weight_ih" + sfx, Tensor.uniform(backend, -k, k, Seed.of(seed), h, layerInput(l)));
                Tensor wHh = param("weight_hh" + sfx, cfg.init().recurrentWeight(backend, 1, h, h, k, seed + 1));
                Tensor bIh = cfg.bias() ? param("bias_ih" + sfx, Tensor.uniform(backend, -k, k, Seed.of(seed + 2), h)) : null;
                Tensor bHh = cfg.bias() ? param("bias_hh" + sfx, Tensor.uniform(backend, -k, k, Seed.of(seed + 3), h)) : null;
                weights[l][d] = new Tensor[] {wIh, wHh, bIh, bHh};
            }
        }
    }

    /** @return the configuration */
    public RnnConfig config() {
        return cfg;
    }

    @Override
    Tensor[] direction(int layer, boolean reverse, Tensor input, Tensor h0, Tensor c0, int[] lengths) {
        Tensor[] w = weights[layer][reverse ? 1 : 0];
        Tensor xProj = input.matmulTransposed(w[0]);   // (B, T, H): one GEMM for all steps
        if (w[2] != null) {
            xProj = xProj.add(w[2].add(w[3]));
        }
        if (cfg.zoneout() == 0f && !forceStepwise) {
            return FusedKernels.rnn(cfg.nonlinearity(), xProj, w[1], h0, lengths, reverse);
        }
        Zoneout z = Zoneout.of(cfg.zoneout(), 0f, isTraining(), this::nextSeed);
        return Stepwise.run((xt, h, c) -> new Tensor[] {step(xt, h, w[1]), null}, xProj, h0, null, lengths, reverse, z);
    }

    private Tensor step(Tensor xt, Tensor h, Tensor wHh) {
        Tensor a = xt.add(h.matmulTransposed(wHh));
        return cfg.nonlinearity() == RnnActivation.TANH ? a.tanh() : a.relu();
    }
}
