package dev.sequor.bench;

import dev.sequor.core.Backends;
import dev.sequor.core.Grad;
import dev.sequor.core.Scope;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.recurrent.Gru;
import dev.sequor.nn.recurrent.GruConfig;
import dev.sequor.nn.recurrent.Lstm;
import dev.sequor.nn.recurrent.LstmConfig;
import dev.sequor.nn.recurrent.RecurrentLayer;
import dev.sequor.nn.recurrent.RecurrentStream;
import dev.sequor.nn.recurrent.TruncatedBptt;
import dev.sequor.spi.Backend;

import java.util.Arrays;
import java.util.Locale;

/**
 * Streaming inference latency: one LSTM or GRU layer, input 512, hidden 512, batch 1, one time step
 * per call ({@link RecurrentStream#feed} of a {@code (1, 1, 512)} chunk, the state carried), without
 * gradients, each call in a tensor scope. Warms up for {@code -DwarmupSeconds} (default 5) so C2 has
 * compiled the kernels, then times {@code steps} calls one by one. Usage:
 * {@code StreamingBench [backend] [steps]}; prints one JSON line per kind with p50 and p99 in
 * microseconds. {@code bench/run-streaming.sh} alternates it with {@code bench/pytorch/streaming.py}.
 */
public final class StreamingBench {

    private static final int SIZE = 512;

    private StreamingBench() {
    }

    /** @param args backend (default cpu-simd), timed steps (default 2000) */
    public static void main(String[] args) {
        Backend be = Backends.get(args.length > 0 ? args[0] : "cpu-simd");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        String threads = System.getProperty("sequor.simd.threads", "?");
        for (String kind : new String[] {"lstm", "gru"}) {
            RecurrentLayer layer = Scope.unscoped(() -> kind.equals("lstm")
                    ? new Lstm(be, LstmConfig.of(SIZE, SIZE).withSeed(Seed.of(1)))
                    : new Gru(be, GruConfig.of(SIZE, SIZE).withSeed(Seed.of(1))));
            Tensor x = Scope.unscoped(() -> Tensor.uniform(be, -1f, 1f, Seed.of(2), 1, 1, SIZE));   // (B, T, F)
            RecurrentStream stream = new TruncatedBptt(layer, 1).stream();
            Runnable step = () -> {
                try (Grad g = Grad.disabled(); Scope s = Tensor.scope()) {
                    stream.feed(x);
                    be.synchronize();
                }
            };
            long warmEnd = System.nanoTime() + Long.getLong("warmupSeconds", 5) * 1_000_000_000L;
            for (int i = 0; i < 100 || System.nanoTime() < warmEnd; i++) {
                step.run();
            }
            double[] us = new double[steps];
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                step.run();
                us[i] = (System.nanoTime() - t0) / 1e3;
            }
            Arrays.sort(us);
            System.out.println(String.format(Locale.ROOT,
                    "{\"case\": \"%s H512 B1\", \"engine\": \"sequor\", \"threads\": \"%s\", \"p50_us\": %.1f,"
                            + " \"p99_us\": %.1f, \"steps\": %d}",
                    kind, threads, us[steps / 2], us[(int) (steps * 0.99)], steps));
        }
        System.exit(0);
    }
}
