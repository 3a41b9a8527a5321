package dev.sequor.backend.opencl;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.MatrixView;

import java.util.Locale;
import java.util.Random;

/**
 * A timing harness, not a test: GFLOP/s of the OpenCL GEMM at the benchmark shapes, after warm-up
 * (the first launches compile kernels). Run by hand:
 * {@code java -cp ... dev.sequor.backend.opencl.GemmTiming [m n k ...]}.
 */
public final class GemmTiming {

    private GemmTiming() {
    }

    public static void main(String[] args) {
        int[][] shapes = {{1024, 1024, 1024}, {64, 2048, 1024}, {3200, 1024, 256}, {32, 1024, 256}};
        if (args.length >= 3) {
            shapes = new int[args.length / 3][];
            for (int i = 0; i < shapes.length; i++) {
                shapes[i] = new int[]{Integer.parseInt(args[3 * i]), Integer.parseInt(args[3 * i + 1]),
                        Integer.parseInt(args[3 * i + 2])};
            }
        }
        try (Backend be = new OpenClBackend(ClRuntime.open(DeviceSelector.probe().chosen()))) {
            System.out.println(be.description());
            Random r = new Random(1);
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                try (Buffer a = OpenClTestSupport.upload(be, OpenClTestSupport.random(r, m * k));
                     Buffer b = OpenClTestSupport.upload(be, OpenClTestSupport.random(r, k * n));
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
    }
}
