package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;

import java.util.function.Consumer;

/**
 * Options of a {@link Gru} stack; defaults (from {@link #of}) are PyTorch's
 * {@code nn.GRU(inputSize, hiddenSize, batch_first=True)}.
 *
 * @param inputSize     features of x_t
 * @param hiddenSize    H
 * @param numLayers     stacked layers
 * @param bias          whether b_ih and b_hh exist
 * @param bidirectional a reverse direction per layer, outputs concatenated
 * @param dropout       dropout on the outputs of every layer but the last (training only)
 * @param resetAfter    true: PyTorch/cuDNN {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))};
 *                      false: Cho et al. 2014 {@code n = tanh(W_in x + b_in + W_hn (r * h) + b_hn)}
 * @param zoneout       zoneout probability of h, 0 for none
 * @param init          the recurrent weight initialiser
 * @param seed          seed of initialisation, dropout and zoneout masks
 * @param batchFirst    whether inputs and outputs are batch-first {@code (B, T, F)} (the default here) or
 *                      time-major {@code (T, B, F)} (PyTorch's {@code batch_first=False}); the states are
 *                      {@code (numLayers * numDirections, B, H)} either way, as in PyTorch
 */
public record GruConfig(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean bidirectional,
                        float dropout, boolean resetAfter, float zoneout, RecurrentInit init, Seed seed,
                        boolean batchFirst) {

    public GruConfig {
        RnnConfig.checkCommon("GruConfig", inputSize, hiddenSize, numLayers, dropout);
        RnnConfig.checkRate("GruConfig", "zoneout", zoneout);
    }

    /** The batch-first configuration with these components (the form before {@code batchFirst} existed). */
    public GruConfig(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean bidirectional,
                     float dropout, boolean resetAfter, float zoneout, RecurrentInit init, Seed seed) {
        this(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, resetAfter, zoneout, init, seed, true);
    }

    /** @return PyTorch's defaults: one layer with biases, reset after, unidirectional, seed 0 */
    public static GruConfig of(int inputSize, int hiddenSize) {
        return new GruConfig(inputSize, hiddenSize, 1, true, false, 0f, true, 0f, RecurrentInit.UNIFORM, Seed.of(0L));
    }

    /** @return a copy with numLayers replaced */
    public GruConfig withLayers(int n) {
        return edit(f -> f.numLayers = n);
    }

    /** @return a copy with bias replaced */
    public GruConfig withBias(boolean on) {
        return edit(f -> f.bias = on);
    }

    /** @return a copy with bidirectional replaced */
    public GruConfig withBidirectional(boolean on) {
        return edit(f -> f.bidirectional = on);
    }

    /** @return a copy with dropout replaced */
    public GruConfig withDropout(float p) {
        return edit(f -> f.dropout = p);
    }

    /** @return a copy with resetAfter replaced */
    public GruConfig withResetAfter(boolean on) {
        return edit(f -> f.resetAfter = on);
    }

    /** @return a copy with zoneout replaced */
    public GruConfig withZoneout(float p) {
        return edit(f -> f.zoneout = p);
    }

    /** @return a copy with init replaced */
    public GruConfig withInit(RecurrentInit i) {
        return edit(f -> f.init = i);
    }

    /** @return a copy with seed replaced */
    public GruConfig withSeed(Seed s) {
        return edit(f -> f.seed = s);
    }

    /**
     * @param on true for batch-first {@code (B, T, F)} tensors, false for time-major {@code (T, B, F)}
     * @return a copy with batchFirst replaced
     */
    public GruConfig withBatchFirst(boolean on) {
        return edit(f -> f.batchFirst = on);
    }

    /** @return a copy of this config with {@code change} applied to its components (every wither is one change) */
    private GruConfig edit(Consumer<Fields> change) {
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
        boolean resetAfter;
        float zoneout;
        RecurrentInit init;
        Seed seed;
        boolean batchFirst;

        Fields(GruConfig c) {
            inputSize = c.inputSize;
            hiddenSize = c.hiddenSize;
            numLayers = c.numLayers;
            bias = c.bias;
            bidirectional = c.bidirectional;
            dropout = c.dropout;
            resetAfter = c.resetAfter;
            zoneout = c.zoneout;
            init = c.init;
            seed = c.seed;
            batchFirst = c.batchFirst;
        }

        GruConfig build() {
            return new GruConfig(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, resetAfter, zoneout, init, seed, batchFirst);
        }
    }
}
