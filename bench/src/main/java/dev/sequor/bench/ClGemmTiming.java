package dev.sequor.bench;

import dev.sequor.core.Backends;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.MatrixView;

import java.util.Locale;
import java.util.Random;

/**
 * A timing harness: GFLOP/s of a backend's GEMM ({@code C = A op(B)}, with B plain and transposed) at
 * the benchmark shapes, after warm-up (on OpenCL the first launches compile kernels); best of 5.
 * Run by hand on the bench class path:
 * {@code java -cp ... dev.sequor.bench.ClGemmTiming [backend] [m n k ...]} (backend: default {@code opencl}).
 */
public final class ClGemmTiming {

    private ClGemmTiming() {
    }

    public static void main(String[] args) {
        int[][] shapes = {{1024, 1024, 1024}, {64, 2048, 1024}, {3200, 1024, 256}, {32, 1024, 256}};
        String name = args.length % 3 == 1 ? args[0] : "opencl";
        int first = args.length % 3 == 1 ? 1 : 0;
        if (args.length - first >= 3) {
            shapes = new int[(args.length - first) / 3][];
            for (int i = 0; i < shapes.length; i++) {
                shapes[i] = new int[]{Integer.parseInt(args[first + 3 * i]), Integer.parseInt(args[first + 3 * i + 1]),
                        Integer.parseInt(args[first + 3 * i + 2])};
            }
        }
        Backend be = Backends.get(name);
        System.out.println(be.description());
        Random r = new Random(1);
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            try (Buffer a = upload(be, random(r, m * k)); Buffer b = upload(be, random(r, k * n));
                 Buffer c = be.allocate((long) m * n)) {
              for (boolean tb : new boolean[]{false, true}) {
                // transB reads B stored (n, k), as a Linear layer's weight: x W^T
                Runnable run = () -> be.gemm(false, tb, 1, m, n, k, 1f, MatrixView.of(a, k),
                        MatrixView.of(b, tb ? k : n), 0f, MatrixView.of(c, n));
                for (int i = 0; i < 3; i++) {
                    run.run();
                }
                be.synchronize();
                double best = Double.MAX_VALUE;
                for (int rep = 0; rep < 5; rep++) {
                    int iters = Math.max(1, (int) (2e9 / (2.0 * m * n * k)));
                    long t0 = System.nanoTime();
                    for (int i = 0; i < iters; i++) {
                        run.run();
                    }
                    be.synchronize();
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9 / iters);
                }
                System.out.printf(Locale.ROOT, "%5d x %5d x %5d %s %7.1f GFLOP/s  (%.3f ms)%n", m, n, k,
                        tb ? "B^T" : "B  ", 2.0 * m * n * k / best / 1e9, best * 1e3);
              }
            }
        }
    }

    private static Buffer upload(Backend be, float[] data) {
        Buffer b = be.allocate(data.length);
        be.upload(data, 0, b, 0, data.length);
        return b;
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
