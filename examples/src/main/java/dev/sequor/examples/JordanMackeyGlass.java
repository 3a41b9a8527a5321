package dev.sequor.examples;

import dev.sequor.core.Backends;
import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Losses;
import dev.sequor.nn.Reduction;
import dev.sequor.nn.recurrent.Jordan;
import dev.sequor.nn.recurrent.JordanConfig;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import dev.sequor.spi.Backend;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A Jordan network (4 inputs, 16 hidden, 1 linear output fed back) learns Mackey-Glass one time unit
 * ahead by backpropagation through time. Its only state is its own 1-D output, too little memory for a
 * series with a delay of 17, so the input is a delay embedding {@code [x(t), x(t-6), x(t-12), x(t-18)]}
 * (Takens). Training: Adam (lr 0.01) on batches of 16 random windows of 30 steps
 * from the first 2000 samples, then scored over the next 500 in one run from a 100-step warm-up.
 * The baseline is persistence, {@code x(t + 1) = x(t)}.
 */
public final class JordanMackeyGlass {

    /** Held-out NRMSE of the network and of persistence. */
    public record Result(double jordan, double persistence) {
    }

    private JordanMackeyGlass() {
    }

    /** @return the held-out errors after {@code steps} updates from {@code seed} */
    public static Result run(Backend backend, int steps, long seed) {
        int train = 2000;
        int test = 500;
        float[] s = MackeyGlass.series(train + test + 1);
        int n = train + test;
        int lags = 4;
        float[] u = new float[n];
        float[] y = new float[n];
        float[] e = new float[n * lags];                       // (n, 4) delay embedding, zeros before t = 0
        for (int t = 0; t < n; t++) {
            u[t] = s[t] - 1f;
            y[t] = s[t + 1] - 1f;
            for (int k = 0; k < lags; k++) {
                e[t * lags + k] = t - 6 * k >= 0 ? s[t - 6 * k] - 1f : 0f;
            }
        }
        Jordan net = new Jordan(backend, JordanConfig.of(lags, 16, 1).withSeed(seed));
        Adam adam = new Adam(net, AdamConfig.adam(0.01));
        SplittableRandom rng = new SplittableRandom(seed);
        int batch = 16;
        int len = 30;
        for (int step = 0; step < steps; step++) {
            try (var scope = Tensor.scope()) {
                float[] xb = new float[batch * len * lags];
                float[] yb = new float[batch * len];
                for (int b = 0; b < batch; b++) {
                    int at = 18 + rng.nextInt(train - len - 18);
                    System.arraycopy(e, at * lags, xb, b * len * lags, len * lags);
                    System.arraycopy(y, at, yb, b * len, len);
                }
                Tensor pred = net.forward(Tensor.of(backend, xb, batch, len, lags), null, null);   // (B, T, 1)
                Tensor loss = Losses.mse(pred, Tensor.of(backend, yb, batch, len, 1), Reduction.MEAN);
                adam.zeroGrad();
                loss.backward();
                adam.step();
            }
        }
        int from = train - 100;
        float[] pred;
        try (Grad g = Grad.disabled()) {
            pred = net.forward(Tensor.of(backend, Arrays.copyOfRange(e, from * lags, n * lags), 1, n - from, lags), null, null)
                    .toFloatArray();
        }
        float[] full = new float[n];
        System.arraycopy(pred, 0, full, from, n - from);
        return new Result(MackeyGlass.nrmse(full, y, train, n), MackeyGlass.nrmse(u, y, train, n));
    }

    /** Prints the held-out errors. */
    public static void main(String[] args) {
        Result r = run(Backends.get(), args.length > 1 ? Integer.parseInt(args[1]) : 1000, args.length > 0 ? Long.parseLong(args[0]) : 1L);
        System.out.printf("Mackey-Glass one step ahead, held-out NRMSE: Jordan network %.5f, persistence %.5f%n",
                r.jordan(), r.persistence());
    }
}
