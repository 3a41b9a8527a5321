package dev.sequor.examples;

import java.util.Arrays;

/**
 * The Mackey-Glass delay differential equation (Mackey and Glass 1977), the chaotic series of the
 * echo-state literature:
 * <pre>
 *   dx/dt = beta x(t - tau) / (1 + x(t - tau)^n) - gamma x(t),   beta 0.2, gamma 0.1, n 10, tau 17
 * </pre>
 * integrated by Euler steps of 0.1 from x = 1.2 (a constant history), sampled every time unit, with
 * the first 1000 units (the transient) dropped.
 */
public final class MackeyGlass {

    private MackeyGlass() {
    }

    /** @return {@code length} samples, one per time unit */
    public static float[] series(int length) {
        double dt = 0.1;
        int perUnit = 10;
        int lag = 17 * perUnit;
        int skip = 1000;
        int steps = (skip + length) * perUnit;
        double[] x = new double[steps + lag + 1];
        Arrays.fill(x, 0, lag + 1, 1.2);
        for (int i = lag; i < lag + steps; i++) {
            double d = x[i - lag];
            x[i + 1] = x[i] + dt * (0.2 * d / (1 + Math.pow(d, 10)) - 0.1 * x[i]);
        }
        float[] out = new float[length];
        for (int k = 0; k < length; k++) {
            out[k] = (float) x[lag + (skip + k) * perUnit];
        }
        return out;
    }

    /** @return the normalised root mean square error {@code sqrt(sum (p - y)^2 / sum (y - mean y)^2)} over [from, to) */
    public static double nrmse(float[] pred, float[] target, int from, int to) {
        double mean = 0;
        for (int i = from; i < to; i++) {
            mean += target[i];
        }
        mean /= to - from;
        double se = 0;
        double var = 0;
        for (int i = from; i < to; i++) {
            se += (pred[i] - target[i]) * (double) (pred[i] - target[i]);
            var += (target[i] - mean) * (target[i] - mean);
        }
        return Math.sqrt(se / var);
    }
}
