package dev.sequor.bench;

import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.attention.ScaledDotProductAttention;
import dev.sequor.spi.Backend;

import java.util.Arrays;
import java.util.Locale;

/**
 * Forward+backward of causal sliding-window attention against global causal attention, both on the
 * backend's fused attention kernel ({@link ScaledDotProductAttention}, window {@code w}: query
 * {@code i} sees keys {@code [i - w + 1, i]}), on {@code q, k, v (1, 8, T, 64)}. Windowed and global
 * calls alternate so machine load falls on both alike; global runs only up to {@code globalMax}
 * (its time grows as {@code T^2}). Per call it reports wall milliseconds and the most buffer memory
 * held at once ({@code peakLiveBytes} of the backend's pool, inputs and gradients included).
 * Prints one JSON line per measurement (for {@code bench/run-windowed.sh}); asserts nothing.
 * Arguments: {@code [backend] [window] [reps] [globalMax] [T...]}
 * (defaults: cpu-simd 256 3 16384 1024 4096 16384 65536).
 */
public final class WindowedAttentionBench {

    private static final int HEADS = 8;
    private static final int DIM = 64;

    private WindowedAttentionBench() {
    }

    public static void main(String[] args) {
        Backend be = Backends.get(args.length > 0 ? args[0] : "cpu-simd");
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int globalMax = args.length > 3 ? Integer.parseInt(args[3]) : 16384;
        int[] lengths = args.length > 4
                ? Arrays.stream(args, 4, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1024, 4096, 16384, 65536};
        for (int i = 0; i < 5; i++) {             // compiles both paths before the first timed size
            time(be, 2048, window, true);
            time(be, 2048, window, false);
        }
        for (int t : lengths) {
            for (int r = -1; r < reps; r++) {     // r = -1 warms up this size's buffers
                double[] win = time(be, t, window, true);
                double[] glob = t <= globalMax ? time(be, t, window, false) : null;
                if (r < 0) {
                    continue;
                }
                print(be, t, window, "window", win);
                if (glob != null) {
                    print(be, t, window, "global", glob);
                }
            }
        }
    }

    private static void print(Backend be, int t, int window, String kind, double[] msAndBytes) {
        System.out.printf(Locale.ROOT, "{\"backend\":\"%s\",\"T\":%d,\"window\":%d,\"kind\":\"%s\",\"ms\":%.2f,"
                + "\"peak_mib\":%.1f}%n", be.name(), t, window, kind, msAndBytes[0], msAndBytes[1] / (1 << 20));
    }

    /** @return {milliseconds, peak bytes} of one forward+backward */
    private static double[] time(Backend be, int t, int window, boolean windowed) {
        try (Scope s = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(1), 1, HEADS, t, DIM).requiresGrad(true);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(2), 1, HEADS, t, DIM).requiresGrad(true);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(3), 1, HEADS, t, DIM).requiresGrad(true);
            be.resetMemoryPeak();
            long t0 = System.nanoTime();
            float scale = (float) (1.0 / Math.sqrt(DIM));
            Tensor out = windowed
                    ? ScaledDotProductAttention.apply(q, k, v, null, true, 0f, Seed.of(0L), scale, window - 1, 0)
                            .output()
                    : ScaledDotProductAttention.apply(q, k, v, null, true, 0f, Seed.of(0L));
            out.sum().backward();
            q.grad().toFloatArray();
            double ms = (System.nanoTime() - t0) / 1e6;
            return new double[] {ms, be.memoryStats().peakLiveBytes()};
        }
    }
}
