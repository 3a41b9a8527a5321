package dev.sequor.nn.recurrent;

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
 */
public record GruConfig(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean bidirectional,
                        float dropout, boolean resetAfter, float zoneout, RecurrentInit init, long seed) {

    public GruConfig {
        RnnConfig.checkCommon("GruConfig", inputSize, hiddenSize, numLayers, dropout);
        RnnConfig.checkRate("GruConfig", "zoneout", zoneout);
    }

    /** @return PyTorch's defaults: one layer with biases, reset after, unidirectional, seed 0 */
    public static GruConfig of(int inputSize, int hiddenSize) {
        return new GruConfig(inputSize, hiddenSize, 1, true, false, 0f, true, 0f, RecurrentInit.UNIFORM, 0L);
    }

    /** @return a copy with numLayers replaced */
    public GruConfig withLayers(int n) {
        return new GruConfig(inputSize, hiddenSize, n, bias, bidirectional, dropout, resetAfter, zoneout, init, seed);
    }

    /** @return a copy with bias replaced */
    public GruConfig withBias(boolean on) {
        return new GruConfig(inputSize, hiddenSize, numLayers, on, bidirectional, dropout, resetAfter, zoneout, init,
                seed);
    }

    /** @return a copy with bidirectional replaced */
    public GruConfig withBidirectional(boolean on) {
        return new GruConfig(inputSize, hiddenSize, numLayers, bias, on, dropout, resetAfter, zoneout, init, seed);
    }

    /** @return a copy with dropout replaced */
    public GruConfig withDropout(float p) {
        return new GruConfig(inputSize, hiddenSize, numLayers, bias, bidirectional, p, resetAfter, zoneout, init, seed);
    }

    /** @return a copy with resetAfter replaced */
    public GruConfig withResetAfter(boolean on) {
        return new GruConfig(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, on, zoneout, init, seed);
    }

    /** @return a copy with zoneout replaced */
    public GruConfig withZoneout(float p) {
        return new GruConfig(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, resetAfter, p, init, seed);
    }

    /** @return a copy with init replaced */
    public GruConfig withInit(RecurrentInit i) {
        return new GruConfig(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, resetAfter, zoneout, i,
                seed);
    }

    /** @return a copy with seed replaced */
    public GruConfig withSeed(long s) {
        return new GruConfig(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, resetAfter, zoneout,
                init, s);
    }
}
