package dev.sequor.examples;

import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.recurrent.EchoStateConfig;
import dev.sequor.nn.recurrent.EchoStateNetwork;
import dev.sequor.spi.Backend;

/**
 * An echo-state network predicts the Mackey-Glass series one time unit ahead: a 300-unit reservoir
 * (spectral radius 0.9, 90% sparse, leak 0.3) is driven by {@code x(t) - 1}, and the ridge readout is
 * fitted to {@code x(t + 1) - 1} on the first 2000 samples (100 washed out) and scored on the next 500.
 * The baseline is persistence, {@code x(t + 1) = x(t)}.
 */
public final class EchoStateMackeyGlass {

    /** Held-out NRMSE of the network and of persistence. */
    public record Result(double esn, double persistence) {
    }

    private EchoStateMackeyGlass() {
    }

    /** @return the held-out errors for a reservoir drawn from {@code seed} */
    public static Result run(Backend backend, long seed) {
        int train = 2000;
        int test = 500;
        float[] s = MackeyGlass.series(train + test + 1);
        int n = train + test;
        float[] u = new float[n];
        float[] y = new float[n];
        for (int t = 0; t < n; t++) {
            u[t] = s[t] - 1f;
            y[t] = s[t + 1] - 1f;
        }
        EchoStateNetwork esn = new EchoStateNetwork(backend, EchoStateConfig.of(1, 300, 1).withSpectralRadius(0.9)
                .withLeakRate(0.3).withSparsity(0.9).withInputScale(1.0).withRidge(1e-5).withSeed(seed));
        Tensor all = Tensor.of(backend, u, 1, n, 1);
        esn.fit(all.narrow(1, 0, train), Tensor.of(backend, y, 1, n, 1).narrow(1, 0, train), 100);
        float[] pred = esn.forward(all).toFloatArray();
        return new Result(MackeyGlass.nrmse(pred, y, train, n), MackeyGlass.nrmse(u, y, train, n));
    }

    /** Prints the held-out errors. */
    public static void main(String[] args) {
        Result r = run(Backends.get(), args.length > 0 ? Long.parseLong(args[0]) : 1L);
        System.out.printf("Mackey-Glass one step ahead, held-out NRMSE: echo-state network %.5f, persistence %.5f%n",
                r.esn(), r.persistence());
    }
}
