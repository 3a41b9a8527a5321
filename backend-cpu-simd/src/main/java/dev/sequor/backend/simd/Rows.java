package dev.sequor.backend.simd;

import dev.sequor.spi.ReduceOp;

/**
 * Parallel drivers for ops along the middle axis of {@code (outer, n, inner)}: reductions and
 * softmax. Work is split over outer rows, or over inner columns when there are few rows.
 */
final class Rows {

    private Rows() {
    }

    static void reduce(SimdPrimitives be, ReduceOp op, float[] x, int outer, int n, int inner, float[] out) {
        if (outer == 0 || inner == 0) {
            return;
        }
        long total = (long) outer * Math.max(n, 1) * inner;
        int threads = be.pool().size();
        int parts = (int) Math.min(4L * threads, Math.max(1, total / SimdPrimitives.PARALLEL_MIN));
        if (outer >= parts || inner == 1) {
            int ps = Math.min(parts, outer);
            run(be, ps, p -> {
                for (int o = outer * p / ps; o < (long) outer * (p + 1) / ps; o++) {
                    Reduce.columns(op, x, o * n * inner, n, inner, 0, inner, out, o * inner, be.workspace());
                }
            });
        } else {
            int ps = Math.min(parts, inner);
            run(be, ps, p -> {
                int i0 = (int) ((long) inner * p / ps);
                int i1 = (int) ((long) inner * (p + 1) / ps);
                for (int o = 0; o < outer; o++) {
                    Reduce.columns(op, x, o * n * inner, n, inner, i0, i1, out, o * inner, be.workspace());
                }
            });
        }
    }

    static void softmax(SimdPrimitives be, float[] x, int outer, int n, int inner, boolean log, float[] y) {
        rows(be, outer, n, inner, (p, q) -> Softmax.forward(x, p, n, inner, log, y, q));
    }

    static void softmaxBackward(SimdPrimitives be, float[] y, float[] gy, int outer, int n, int inner, boolean log,
                                float[] gx) {
        rows(be, outer, n, inner, (p, q) -> Softmax.backward(y, gy, p, n, inner, log, gx, q));
    }

    private interface RowKernel {
        void row(int p, int q);
    }

    /** Calls the kernel for every row (o, i) with its first element's position, in parallel. */
    private static void rows(SimdPrimitives be, int outer, int n, int inner, RowKernel k) {
        long rows = (long) outer * inner;
        if (rows == 0) {
            return;
        }
        long total = rows * Math.max(n, 1);
        int parts = (int) Math.min(Math.min(4L * be.pool().size(), rows), Math.max(1, total / SimdPrimitives.PARALLEL_MIN));
        run(be, parts, part -> {
            long r0 = rows * part / parts;
            long r1 = rows * (part + 1) / parts;
            for (long r = r0; r < r1; r++) {
                int o = (int) (r / inner);
                int i = (int) (r - (long) o * inner);
                int p = o * n * inner + i;
                k.row(p, p);
            }
        });
    }

    private static void run(SimdPrimitives be, int parts, WorkerPool.Task t) {
        if (parts <= 1) {
            t.run(0);
        } else {
            be.pool().run(parts, t);
        }
    }
}
