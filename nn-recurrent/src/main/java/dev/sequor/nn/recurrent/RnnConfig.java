package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;

import dev.sequor.spi.RnnActivation;

import java.util.function.Consumer;

/**
 * Options of an Elman {@link Rnn} stack; defaults (from {@link #of}) are PyTorch's
 * {@code nn.RNN(inputSize, hiddenSize, batch_first=True)}.
 *
 * @param inputSize     features of x_t
 * @param hiddenSize    H
 * @param numLayers     stacked layers
 * @param bias          whether b_ih and b_hh exist
 * @param bidirectional a reverse direction per layer, outputs concatenated
 * @param dropout       dropout on the outputs of every layer but the last (training only)
 * @param nonlinearity  tanh (PyTorch's default) or ReLU
 * @param zoneout       zoneout probability of h (Krueger et al. 2016), 0 for none
 * @param init          the recurrent weight initialiser ({@link RecurrentInit#IDENTITY} with ReLU is IRNN)
 * @param seed          seed of initialisation, dropout and zoneout masks
 * @param batchFirst    whether inputs and outputs are batch-first {@code (B, T, F)} (the default here) or
 *                      time-major {@code (T, B, F)} (PyTorch's {@code batch_first=False}); the states are
 *                      {@code (numLayers * numDirections, B, H)} either way, as in PyTorch
 */
public record RnnConfig(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean bidirectional,
                        float dropout, RnnActivation nonlinearity, float zoneout, RecurrentInit init, Seed seed,
                        boolean batchFirst) {

    public RnnConfig {
        checkCommon("RnnConfig", inputSize, hiddenSize, numLayers, dropout);
        checkRate("RnnConfig", "zoneout", zoneout);
        if (nonlinearity == null) {
            throw new IllegalArgumentException("RnnConfig: nonlinearity is null");
        }
    }

    /** The batch-first configuration with these components (the form before {@code batchFirst} existed). */
    public RnnConfig(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean bidirectional,
                     float dropout, RnnActivation nonlinearity, float zoneout, RecurrentInit init, Seed seed) {
        this(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, nonlinearity, zoneout, init, seed, true);
    }

    /** @return PyTorch's defaults: one tanh layer with biases, unidirectional, seed 0 */
    public static RnnConfig of(int inputSize, int hiddenSize) {
        return new RnnConfig(inputSize, hiddenSize, 1, true, false, 0f, RnnActivation.TANH, 0f,
                RecurrentInit.UNIFORM, Seed.of(0L));
    }

    /** @return a copy with numLayers replaced */
    public RnnConfig withLayers(int n) {
        return edit(f -> f.numLayers = n);
    }

    /** @return a copy with bias replaced */
    public RnnConfig withBias(boolean on) {
        return edit(f -> f.bias = on);
    }

    /** @return a copy with bidirectional replaced */
    public RnnConfig withBidirectional(boolean on) {
        return edit(f -> f.bidirectional = on);
    }

    /** @return a copy with dropout replaced */
    public RnnConfig withDropout(float p) {
        return edit(f -> f.dropout = p);
    }

    /** @return a copy with nonlinearity replaced */
    public RnnConfig withNonlinearity(RnnActivation a) {
        return edit(f -> f.nonlinearity = a);
    }

    /** @return a copy with zoneout replaced */
    public RnnConfig withZoneout(float p) {
        return edit(f -> f.zoneout = p);
    }

    /** @return a copy with init replaced */
    public RnnConfig withInit(RecurrentInit i) {
        return edit(f -> f.init = i);
    }

    /** @return a copy with seed replaced */
    public RnnConfig withSeed(Seed s) {
        return edit(f -> f.seed = s);
    }

    static void checkCommon(String who, int inputSize, int hiddenSize, int numLayers, float dropout) {
        if (inputSize < 1 || hiddenSize < 1 || numLayers < 1) {
            throw new IllegalArgumentException(who + ": inputSize, hiddenSize and numLayers must be positive, got "
                    + inputSize + ", " + hiddenSize + ", " + numLayers);
        }
        checkRate(who, "dropout", dropout);
    }

    static void checkRate(String who, String name, float p) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException(who + ": " + name + " must be in [0, 1), got " + p);
        }
    }

    /**
     * @param on true for batch-first {@code (B, T, F)} tensors, false for time-major {@code (T, B, F)}
     * @return a copy with batchFirst replaced
     */
    public RnnConfig withBatchFirst(boolean on) {
        return edit(f -> f.batchFirst = on);
    }

    /** @return a copy of this config with {@code change} applied to its components (every wither is one change) */
    private RnnConfig edit(Consumer<Fields> change) {
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
        RnnActivation nonlinearity;
        float zoneout;
        RecurrentInit init;
        Seed seed;
        boolean batchFirst;

        Fields(RnnConfig c) {
            inputSize = c.inputSize;
            hiddenSize = c.hiddenSize;
            numLayers = c.numLayers;
            bias = c.bias;
            bidirectional = c.bidirectional;
            dropout = c.dropout;
            nonlinearity = c.nonlinearity;
            zoneout = c.zoneout;
            init = c.init;
            seed = c.seed;
            batchFirst = c.batchFirst;
        }

        RnnConfig build() {
            return new RnnConfig(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, nonlinearity, zoneout, init, seed, batchFirst);
        }
    }
}
