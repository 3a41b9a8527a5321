package dev.sequor.bench;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Grad;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.nn.recurrent.Lstm;
import dev.sequor.nn.recurrent.LstmConfig;
import dev.sequor.spi.Backend;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Splits an LSTM layer's forward into its parts (input projection GEMM, bias add, the whole layer)
 * and prints wall and calling-thread CPU milliseconds of each (medians). Arguments: {@code B T in H reps}.
 */
public final class RnnLayerProbe {

    private RnnLayerProbe() {
    }

    public static void main(String[] args) {
        int b = Integer.parseInt(args[0]);
        int t = Integer.parseInt(args[1]);
        int in = Integer.parseInt(args[2]);
        int h = Integer.parseInt(args[3]);
        int reps = Integer.parseInt(args[4]);
        Backend be = Backends.get("cpu-simd");
        Lstm lstm = new Lstm(be, LstmConfig.of(in, h).withSeed(Seed.of(1)));
        Tensor x = Tensor.uniform(be, -1f, 1f, Seed.of(7), b, t, in);
        Tensor w = Tensor.uniform(be, -0.1f, 0.1f, Seed.of(8), 4 * h, in);
        Tensor bias = Tensor.uniform(be, -0.1f, 0.1f, Seed.of(9), 4 * h);
        Tensor proj = x.matmulTransposed(w);
        try (Grad g = Grad.disabled()) {
            report("x W_ih^T", reps, () -> x.matmulTransposed(w));
            report("+ bias", reps, () -> proj.add(bias));
            report("zeros (B,T,4H)", reps, () -> Tensor.zeros(be, b, t, 4 * h));
            report("layer forward", reps, () -> lstm.forward(x).output());
        }
        report("layer fwd+bwd", reps, () -> {
            lstm.zeroGrad();
            lstm.forward(x).output().sum().backward();
            return null;
        });
    }

    private static void report(String what, int reps, Supplier<Tensor> body) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] wall = new double[reps];
        double[] cpu = new double[reps];
        for (int i = -reps; i < reps; i++) {
            try (Scope s = Tensor.scope()) {
                long c0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                body.get();
                long t1 = System.nanoTime();
                long c1 = mx.getCurrentThreadCpuTime();
                if (i >= 0) {
                    wall[i] = (t1 - t0) / 1e6;
                    cpu[i] = (c1 - c0) / 1e6;
                }
            }
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "%-16s wall %8.2f ms   caller CPU %8.2f ms%n", what, wall[reps / 2], cpu[reps / 2]);
    }
}
