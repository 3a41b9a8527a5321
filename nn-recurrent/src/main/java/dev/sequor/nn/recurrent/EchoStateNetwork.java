package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An echo-state network (Jaeger 2001): a fixed random recurrent reservoir and a linear readout that
 * alone is trained, by ridge regression in closed form ({@link Ridge}). With leak rate a,
 * <pre>
 *   x_t = (1 - a) x_{t-1} + a tanh(W_in u_t + b + W x_{t-1})          reservoir (N)
 *   y_t = W_out [1; u_t; x_t]                                            readout (O)
 * </pre>
 * W is sparse (a fraction {@code sparsity} of zeros, the rest uniform) and scaled so that its spectral
 * radius is {@code spectralRadius}; W_in and b are uniform in {@code [-inputScale, inputScale]}.
 * State-dict entries: {@code weight_in (N, I)}, {@code bias_in (N)}, {@code weight_res (N, N)} and
 * {@code weight_out (O, 1 + I + N)}, all buffers (nothing here is trained by gradients).
 */
public class EchoStateNetwork extends Module {

    private final EchoStateConfig config;
    private final Tensor weightIn;
    private final Tensor biasIn;
    private final Tensor weightRes;
    private final Tensor weightOut;

    /** A network on the session backend. */
    public EchoStateNetwork(EchoStateConfig config) {
        this(Backends.get(), config);
    }

    /** A network on {@code backend}; the reservoir is drawn here from the config's seed. */
    public EchoStateNetwork(Backend backend, EchoStateConfig config) {
        super(backend);
        this.config = config;
        int n = config.reservoirSize();
        int in = config.inputSize();
        SplittableRandom rng = new SplittableRandom(config.seed());
        float[] w = new float[n * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextDouble() < config.sparsity() ? 0f : (float) (rng.nextDouble() * 2 - 1);
        }
        double rho = spectralRadius(w, n, config.seed());
        if (rho > 0) {
            float scale = (float) (config.spectralRadius() / rho);
            for (int i = 0; i < w.length; i++) {
                w[i] *= scale;
            }
        }
        float s = (float) config.inputScale();
        this.weightIn = registerBuffer("weight_in", Tensor.uniform(backend, -s, s, Seed.of(config.seed() + 1), n, in));
        this.biasIn = registerBuffer("bias_in", Tensor.uniform(backend, -s, s, Seed.of(config.seed() + 2), n));
        this.weightRes = registerBuffer("weight_res", Tensor.of(backend, w, n, n));
        this.weightOut = registerBuffer("weight_out", Tensor.zeros(backend, config.outputSize(), features()));
    }

    /** @return D = 1 + I + N, the readout's input size */
    public int features() {
        return 1 + config.inputSize() + config.reservoirSize();
    }

    /**
     * Runs the reservoir (no gradients).
     *
     * @param u  (B, T, I)
     * @param x0 (B, N) initial state, or null for zeros
     * @return the states x_1..x_T, (B, T, N)
     */
    public Tensor states(Tensor u, Tensor x0) {
        checkInput(u);
        int b = u.size(0);
        int t = u.size(1);
        float a = (float) config.leakRate();
        try (Grad g = Grad.disabled()) {
            Tensor drive = u.matmulTransposed(weightIn).add(biasIn);                // (B, T, N)
            Tensor x = x0 != null ? x0 : Tensor.zeros(backend(), b, config.reservoirSize());
            List<Tensor> xs = new ArrayList<>(t);
            for (int s = 0; s < t; s++) {
                Tensor pre = drive.select(1, s).add(x.matmulTransposed(weightRes)).tanh();
                x = a == 1f ? pre : x.mul(1f - a).add(pre.mul(a));
                xs.add(x);
            }
            return Tensor.stack(1, xs);                                              // (B, T, N)
        }
    }

    /** @return the readout's inputs {@code [1; u_t; x_t]}, (B, T, D) */
    private Tensor design(Tensor u, Tensor states) {
        Tensor ones = Tensor.ones(backend(), u.size(0), u.size(1), 1);
        return Tensor.concat(2, ones, u, states);
    }

    /**
     * Trains the readout: runs the reservoir over {@code u}, drops the first {@code washout} steps of
     * every sequence (the transient from the zero state) and solves the ridge regression of {@code y}
     * on {@code [1; u; x]}.
     *
     * @param u       (B, T, I)
     * @param y       (B, T, O) targets
     * @param washout steps ignored at the start, in [0, T)
     */
    public void fit(Tensor u, Tensor y, int washout) {
        checkInput(u);
        int b = u.size(0);
        int t = u.size(1);
        if (y.rank() != 3 || y.size(0) != b || y.size(1) != t || y.size(2) != config.outputSize()) {
            throw new IllegalArgumentException("EchoStateNetwork.fit: targets " + Windows.str(y) + " must be (" + b
                    + ", " + t + ", " + config.outputSize() + ") for input " + Windows.str(u));
        }
        if (washout < 0 || washout >= t) {
            throw new IllegalArgumentException("EchoStateNetwork.fit: washout " + washout + " must be in [0, " + t + ")");
        }
        try (Grad g = Grad.disabled()) {
            int m = t - washout;
            Tensor phi = design(u, states(u, null)).narrow(1, washout, m).reshape(b * m, features()); // (B m, D)
            Tensor target = y.narrow(1, washout, m).reshape(b * m, config.outputSize());              // (B m, O)
            weightOut.assign(Ridge.solve(phi, target, config.ridge()).transpose(0, 1));              // (O, D)
        }
    }

    /**
     * @param u (B, T, I)
     * @return the readout y_t for every step from a zero state, (B, T, O)
     */
    public Tensor forward(Tensor u) {
        try (Grad g = Grad.disabled()) {
            return design(u, states(u, null)).matmulTransposed(weightOut);
        }
    }

    /**
     * Free-running generation for a network trained to predict its next input (O = I): the reservoir
     * is driven by {@code warmup}, then each output becomes the next input.
     *
     * @param warmup (B, T, I) teacher-forced inputs
     * @param steps  steps to generate after the warm-up
     * @return the generated outputs, (B, steps, O)
     */
    public Tensor generate(Tensor warmup, int steps) {
        checkInput(warmup);
        if (config.outputSize() != config.inputSize() || steps < 1) {
            throw new IllegalArgumentException("EchoStateNetwork.generate: needs outputSize == inputSize (got "
                    + config.outputSize() + " and " + config.inputSize() + ") and steps >= 1 (got " + steps + ")");
        }
        try (Grad g = Grad.disabled()) {
            int t = warmup.size(1);
            Tensor xs = states(warmup, null);
            Tensor x = xs.select(1, t - 1);                                                     // (B, N)
            Tensor y = design(warmup, xs).select(1, t - 1).matmulTransposed(weightOut);        // (B, O)
            List<Tensor> out = new ArrayList<>(steps);
            for (int s = 0; s < steps; s++) {
                out.add(y);
                Tensor u = y.unsqueeze(1);                                                      // (B, 1, I)
                x = states(u, x).select(1, 0);
                y = design(u, x.unsqueeze(1)).select(1, 0).matmulTransposed(weightOut);
            }
            return Tensor.stack(1, out);                                                        // (B, steps, O)
        }
    }

    private void checkInput(Tensor u) {
        if (u.rank() != 3 || u.size(2) != config.inputSize()) {
            throw new IllegalArgumentException("EchoStateNetwork: input " + Windows.str(u) + " must be (B, T, "
                    + config.inputSize() + ")");
        }
    }

    /**
     * Estimates the spectral radius {@code max |lambda_i|} of a row-major n x n matrix by power
     * iteration in double: the geometric mean of the growth {@code ||W v_k|| / ||v_k||} over the
     * second half of 1000 iterations, which converges to rho also when the dominant eigenvalues are a
     * complex pair (as they are for random reservoirs).
     */
    static double spectralRadius(float[] w, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble() - 0.5;
        }
        normalize(v);
        int iters = 1000;
        double logSum = 0;
        double[] next = new double[n];
        for (int k = 0; k < iters; k++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += w[i * n + j] * v[j];
                }
                next[i] = s;
            }
            double norm = normalize(next);
            if (norm == 0) {
                return 0;
            }
            if (k >= iters / 2) {
                logSum += Math.log(norm);
            }
            double[] tmp = v;
            v = next;
            next = tmp;
        }
        return Math.exp(logSum / (iters - iters / 2));
    }

    private static double normalize(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        double norm = Math.sqrt(s);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
        }
        return norm;
    }

    /** @return the configuration */
    public EchoStateConfig config() {
        return config;
    }

    /** @return the (N, N) reservoir matrix W */
    public Tensor reservoir() {
        return weightRes;
    }

    /** @return the (O, D) readout */
    public Tensor readout() {
        return weightOut;
    }
}
