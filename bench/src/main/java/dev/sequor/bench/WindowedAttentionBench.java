package dev.sequor.bench;

import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.attention.ScaledDotProductAttention;
import dev.sequor.nn.attention.WindowedAttention;
import dev.sequor.spi.Backend;

import java.util.Arrays;
import java.util.Locale;

/**
 * Forward+backward wall time of causal sliding-window attention ({@link WindowedAttention}, window
 * {@code w}: keys {@code [i - w + 1, i]}) against global causal attention (the fused kernel of
 * {@link ScaledDotProductAttention}) on {@code q, k, v (1, 8, T, 64)}, alternating the two call by call
 * so machine load falls on both alike. Prints medians; asserts nothing.
 * Arguments: {@code [backend] [window] [reps] [T...]} (defaults: cpu-simd 256 3 1024 2048 4096).
 */
public final class WindowedAttentionBench {

    private WindowedAttentionBench() {
    }

    public static void main(String[] args) {
        Backend be = Backends.get(args.length > 0 ? args[0] : "cpu-simd");
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int[] lengths = args.length > 3
                ? Arrays.stream(args, 3, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1024, 2048, 4096};
        int heads = 8;
        int dim = 64;
        System.out.printf(Locale.ROOT, "causal attention fwd+bwd, %s, B=1 H=%d E=%d, window %d; median of %d (ms)%n",
                be.name(), heads, dim, window, reps);
        System.out.printf(Locale.ROOT, "%7s %12s %12s %8s%n", "T", "window ms", "global ms", "ratio");
        for (int t : lengths) {
            double[] win = new double[reps];
            double[] glob = new double[reps];
            for (int r = -1; r < reps; r++) {     // r = -1 warms up both
                double a = time(be, heads, t, dim, window, true);
                double b = time(be, heads, t, dim, window, false);
                if (r >= 0) {
                    win[r] = a;
                    glob[r] = b;
                }
            }
            double mw = median(win);
            double mg = median(glob);
            System.out.printf(Locale.ROOT, "%7d %12.1f %12.1f %7.2fx%n", t, mw, mg, mg / mw);
        }
    }

    private static double time(Backend be, int heads, int t, int dim, int window, boolean windowed) {
        try (Scope s = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(1), 1, heads, t, dim).requiresGrad(true);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(2), 1, heads, t, dim).requiresGrad(true);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(3), 1, heads, t, dim).requiresGrad(true);
            long t0 = System.nanoTime();
            Tensor out = windowed
                    ? WindowedAttention.apply(q, k, v, window - 1, 0, null)
                    : ScaledDotProductAttention.apply(q, k, v, null, true, 0f, Seed.of(0L));
            out.sum().backward();
            q.grad().toFloatArray();
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
