package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;

import java.util.function.Consumer;

/**
 * Options of an {@link Lstm} layer stack (and, where they apply, an {@link LstmCell}). Defaults
 * (from {@link #of}) are PyTorch's {@code nn.LSTM(inputSize, hiddenSize, batch_first=True)}.
 *
 * @param inputSize     features of x_t
 * @param hiddenSize    H, the cell state width
 * @param numLayers     stacked layers; layer l > 0 reads layer l-1's outputs
 * @param bias          whether b_ih and b_hh exist (PyTorch's {@code bias})
 * @param bidirectional a reverse direction per layer, outputs concatenated (forward first)
 * @param dropout       dropout probability on the outputs of every layer but the last (training only)
 * @param projSize      0, or P for LSTMP (Sak et al. 2014, PyTorch's {@code proj_size}):
 *                      {@code h_t = W_hr (o * tanh c_t)}, so h and the outputs have width P
 * @param peephole      Gers and Schmidhuber peepholes: i and f see c_{t-1}, o sees c_t (weights
 *                      {@code weight_ci_l*}, {@code weight_cf_l*}, {@code weight_co_l*} of shape (H))
 * @param coupled       coupled input-forget gate {@code i = 1 - f}; the gates are then [f, g, o] (3H rows)
 * @param layerNorm     layer-normalised LSTM (Ba et al. 2016): {@code a = LN(W_ih x) + LN(W_hh h) + b},
 *                      {@code h = o * tanh(LN(c))}
 * @param forgetBias    added to the forget-gate block of {@code bias_ih} at initialisation (0 as
 *                      PyTorch; 1 as Jozefowicz et al. 2015 recommend)
 * @param zoneoutHidden zoneout probability of h (Krueger et al. 2016), 0 for none
 * @param zoneoutCell   zoneout probability of c
 * @param init          the recurrent weight initialiser
 * @param seed          seed of initialisation, dropout and zoneout masks
 * @param batchFirst    whether inputs and outputs are batch-first {@code (B, T, F)} (the default here) or
 *                      time-major {@code (T, B, F)} (PyTorch's {@code batch_first=False}); the states are
 *                      {@code (numLayers * numDirections, B, H)} either way, as in PyTorch
 */
public record LstmConfig(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean bidirectional,
                         float dropout, int projSize, boolean peephole, boolean coupled, boolean layerNorm,
                         float forgetBias, float zoneoutHidden, float zoneoutCell, RecurrentInit init, Seed seed,
                         boolean batchFirst) {

    public LstmConfig {
        RnnConfig.checkCommon("LstmConfig", inputSize, hiddenSize, numLayers, dropout);
        if (projSize < 0 || projSize >= hiddenSize && projSize != 0) {
            throw new IllegalArgumentException("LstmConfig: projSize must be 0 or in [1, hiddenSize=" + hiddenSize
                    + "), got " + projSize);
        }
        RnnConfig.checkRate("LstmConfig", "zoneoutHidden", zoneoutHidden);
        RnnConfig.checkRate("LstmConfig", "zoneoutCell", zoneoutCell);
    }

    /** The batch-first configuration with these components (the form before {@code batchFirst} existed). */
    public LstmConfig(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean bidirectional,
                      float dropout, int projSize, boolean peephole, boolean coupled, boolean layerNorm,
                      float forgetBias, float zoneoutHidden, float zoneoutCell, RecurrentInit init, Seed seed) {
        this(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, projSize, peephole, coupled, layerNorm, forgetBias, zoneoutHidden, zoneoutCell, init, seed, true);
    }

    /** @return PyTorch's defaults: one layer, biases, unidirectional, no dropout, seed 0 */
    public static LstmConfig of(int inputSize, int hiddenSize) {
        return new LstmConfig(inputSize, hiddenSize, 1, true, false, 0f, 0, false, false, false, 0f, 0f, 0f,
                RecurrentInit.UNIFORM, Seed.of(0L));
    }

    /** @return a copy with numLayers replaced */
    public LstmConfig withLayers(int n) {
        return edit(f -> f.numLayers = n);
    }

    /** @return a copy with bias replaced */
    public LstmConfig withBias(boolean on) {
        return edit(f -> f.bias = on);
    }

    /** @return a copy with bidirectional replaced */
    public LstmConfig withBidirectional(boolean on) {
        return edit(f -> f.bidirectional = on);
    }

    /** @return a copy with dropout replaced */
    public LstmConfig withDropout(float p) {
        return edit(f -> f.dropout = p);
    }

    /** @return a copy with projSize replaced */
    public LstmConfig withProjSize(int p) {
        return edit(f -> f.projSize = p);
    }

    /** @return a copy with peephole replaced */
    public LstmConfig withPeephole(boolean on) {
        return edit(f -> f.peephole = on);
    }

    /** @return a copy with coupled replaced */
    public LstmConfig withCoupled(boolean on) {
        return edit(f -> f.coupled = on);
    }

    /** @return a copy with layerNorm replaced */
    public LstmConfig withLayerNorm(boolean on) {
        return edit(f -> f.layerNorm = on);
    }

    /** @return a copy with forgetBias replaced */
    public LstmConfig withForgetBias(float b) {
        return edit(f -> f.forgetBias = b);
    }

    /** @return a copy with zoneoutHidden and zoneoutCell replaced */
    public LstmConfig withZoneout(float hidden, float cell) {
        return edit(f -> { f.zoneoutHidden = hidden; f.zoneoutCell = cell; });
    }

    /** @return a copy with init replaced */
    public LstmConfig withInit(RecurrentInit i) {
        return edit(f -> f.init = i);
    }

    /** @return a copy with seed replaced */
    public LstmConfig withSeed(Seed s) {
        return edit(f -> f.seed = s);
    }

    /** @return the width of h and of each direction's outputs: projSize if set, else hiddenSize */
    public int outputSize() {
        return projSize > 0 ? projSize : hiddenSize;
    }

    /** @return gates per step: 4 (i, f, g, o), or 3 (f, g, o) when coupled */
    public int gateCount() {
        return coupled ? 3 : 4;
    }

    /** @return whether the backend's fused whole-sequence kernel computes this variant */
    boolean fusable() {
        return projSize == 0 && !peephole && !coupled && !layerNorm && zoneoutHidden == 0f && zoneoutCell == 0f;
    }

    /**
     * @param on true for batch-first {@code (B, T, F)} tensors, false for time-major {@code (T, B, F)}
     * @return a copy with batchFirst replaced
     */
    public LstmConfig withBatchFirst(boolean on) {
        return edit(f -> f.batchFirst = on);
    }

    /** @return a copy of this config with {@code change} applied to its components (every wither is one change) */
    private LstmConfig edit(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.build();
    }

    /**
     * The components as variables, so that a wither names only what it changes; a new component is added
     * here (declaration, copy, build) and in the record header, not in every wither.
     */
    private static final class Fields {
        int inputSize;
        int hiddenSize;
        int numLayers;
        boolean bias;
        boolean bidirectional;
        float dropout;
        int projSize;
        boolean peephole;
        boolean coupled;
        boolean layerNorm;
        float forgetBias;
        float zoneoutHidden;
        float zoneoutCell;
        RecurrentInit init;
        Seed seed;
        boolean batchFirst;

        Fields(LstmConfig c) {
            inputSize = c.inputSize;
            hiddenSize = c.hiddenSize;
            numLayers = c.numLayers;
            bias = c.bias;
            bidirectional = c.bidirectional;
            dropout = c.dropout;
            projSize = c.projSize;
            peephole = c.peephole;
            coupled = c.coupled;
            layerNorm = c.layerNorm;
            forgetBias = c.forgetBias;
            zoneoutHidden = c.zoneoutHidden;
            zoneoutCell = c.zoneoutCell;
            init = c.init;
            seed = c.seed;
            batchFirst = c.batchFirst;
        }

        LstmConfig build() {
            return new LstmConfig(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, projSize, peephole, coupled, layerNorm, forgetBias, zoneoutHidden, zoneoutCell, init, seed, batchFirst);
        }
    }
}
