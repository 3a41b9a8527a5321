package dev.sequor.nn.recurrent;

/**
 * Configuration of an {@link EchoStateNetwork} (Jaeger 2001; Lukoševičius, "A practical guide to
 * applying echo state networks", 2012, whose names these are).
 *
 * @param inputSize      features of u_t
 * @param reservoirSize  N, reservoir units
 * @param outputSize     features of the readout y_t
 * @param spectralRadius rho(W), the largest |eigenvalue| the reservoir is scaled to; below 1 for the
 *                       echo-state property on most inputs, near 1 for long memory
 * @param leakRate       a in (0, 1]: {@code x_t = (1 - a) x_{t-1} + a tanh(...)}; small a is slow dynamics
 * @param sparsity       fraction of reservoir connections that are zero, in [0, 1)
 * @param inputScale     W_in and the bias are uniform in [-inputScale, inputScale]
 * @param ridge          lambda of the readout's ridge regression
 * @param seed           seed of the reservoir and input weights
 */
public record EchoStateConfig(int inputSize, int reservoirSize, int outputSize, double spectralRadius,
                              double leakRate, double sparsity, double inputScale, double ridge, long seed) {

    public EchoStateConfig {
        if (inputSize < 1 || reservoirSize < 1 || outputSize < 1) {
            throw new IllegalArgumentException("EchoStateConfig: sizes must be positive, got in=" + inputSize
                    + " reservoir=" + reservoirSize + " out=" + outputSize);
        }
        if (!(spectralRadius > 0) || !(leakRate > 0 && leakRate <= 1) || !(sparsity >= 0 && sparsity < 1)
                || !(inputScale >= 0) || !(ridge >= 0)) {
            throw new IllegalArgumentException("EchoStateConfig: need spectralRadius > 0, leakRate in (0, 1],"
                    + " sparsity in [0, 1), inputScale >= 0, ridge >= 0; got " + spectralRadius + ", " + leakRate + ", "
                    + sparsity + ", " + inputScale + ", " + ridge);
        }
    }

    /** @return rho 0.9, no leak (a = 1), 90% sparse, input scale 1, ridge 1e-6, seed 0 */
    public static EchoStateConfig of(int inputSize, int reservoirSize, int outputSize) {
        return new EchoStateConfig(inputSize, reservoirSize, outputSize, 0.9, 1.0, 0.9, 1.0, 1e-6, 0L);
    }

    /** @return a copy with the spectral radius replaced */
    public EchoStateConfig withSpectralRadius(double r) {
        return new EchoStateConfig(inputSize, reservoirSize, outputSize, r, leakRate, sparsity, inputScale, ridge, seed);
    }

    /** @return a copy with the leak rate replaced */
    public EchoStateConfig withLeakRate(double a) {
        return new EchoStateConfig(inputSize, reservoirSize, outputSize, spectralRadius, a, sparsity, inputScale, ridge,
                seed);
    }

    /** @return a copy with the sparsity replaced */
    public EchoStateConfig withSparsity(double s) {
        return new EchoStateConfig(inputSize, reservoirSize, outputSize, spectralRadius, leakRate, s, inputScale, ridge,
                seed);
    }

    /** @return a copy with the input scale replaced */
    public EchoStateConfig withInputScale(double s) {
        return new EchoStateConfig(inputSize, reservoirSize, outputSize, spectralRadius, leakRate, sparsity, s, ridge,
                seed);
    }

    /** @return a copy with the ridge parameter replaced */
    public EchoStateConfig withRidge(double l) {
        return new EchoStateConfig(inputSize, reservoirSize, outputSize, spectralRadius, leakRate, sparsity, inputScale,
                l, seed);
    }

    /** @return a copy with the seed replaced */
    public EchoStateConfig withSeed(long s) {
        return new EchoStateConfig(inputSize, reservoirSize, outputSize, spectralRadius, leakRate, sparsity, inputScale,
                ridge, s);
    }
}
