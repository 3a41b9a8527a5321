package dev.sequor.nn.recurrent;

/**
 * Configuration of a {@link JordanCell} / {@link Jordan} network.
 *
 * @param inputSize        features of x_t
 * @param hiddenSize       units of h_t
 * @param outputSize       features of y_t, the output fed back
 * @param outputActivation sigma_y: {@link Activation#IDENTITY} for regression (a series' next value),
 *                         {@code SIGMOID} or {@code TANH} for bounded outputs as in Jordan (1986)
 * @param seed             seed of the initialisation
 */
public record JordanConfig(int inputSize, int hiddenSize, int outputSize, Activation outputActivation, long seed) {

    /** The output non-linearity. */
    public enum Activation { IDENTITY, TANH, SIGMOID }

    public JordanConfig {
        if (inputSize < 1 || hiddenSize < 1 || outputSize < 1 || outputActivation == null) {
            throw new IllegalArgumentException("JordanConfig: sizes must be positive and an activation given, got in="
                    + inputSize + " hidden=" + hiddenSize + " out=" + outputSize + " activation=" + outputActivation);
        }
    }

    /** @return a linear-output Jordan network, seed 0 */
    public static JordanConfig of(int inputSize, int hiddenSize, int outputSize) {
        return new JordanConfig(inputSize, hiddenSize, outputSize, Activation.IDENTITY, 0L);
    }

    /** @return a copy with the output activation replaced */
    public JordanConfig withOutputActivation(Activation a) {
        return new JordanConfig(inputSize, hiddenSize, outputSize, a, seed);
    }

    /** @return a copy with the seed replaced */
    public JordanConfig withSeed(long s) {
        return new JordanConfig(inputSize, hiddenSize, outputSize, outputActivation, s);
    }
}
