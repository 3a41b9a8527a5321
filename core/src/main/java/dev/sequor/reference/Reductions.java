package dev.sequor.reference;

import dev.sequor.spi.ReduceOp;

/**
 * Reductions and softmax along the middle axis of a contiguous {@code (outer, n, inner)} array:
 * element {@code (o, j, i)} is at {@code (o * n + j) * inner + i}. Sums are taken in double.
 */
final class Reductions {

    private Reductions() {
    }

    /** {@code out[o * inner + i] = R_j x[(o*n + j)*inner + i]}. */
    static void reduce(ReduceOp op, float[] x, int outer, int n, int inner, float[] out) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                out[o * inner + i] = (float) reduceOne(op, x, base, n, inner);
            }
        }
    }

    private static double reduceOne(ReduceOp op, float[] x, int base, int n, int stride) {
        switch (op) {
            case SUM, MEAN -> {
                double s = 0.0;
                for (int j = 0; j < n; j++) {
                    s += x[base + j * stride];
                }
                return op == ReduceOp.SUM ? s : s / n;
            }
            case MAX, MIN -> {
                double best = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    double v = x[base + j * stride];
                    best = op == ReduceOp.MAX ? Math.max(best, v) : Math.min(best, v);
                }
                return best;
            }
            case ARGMAX, ARGMIN -> {
                return argBest(op == ReduceOp.ARGMAX, x, base, n, stride);
            }
            case LOGSUMEXP -> {
                return logSumExp(x, base, n, stride);
            }
            default -> throw new IllegalArgumentException("reduce: unknown op " + op);
        }
    }

    /** The first index of the maximum (or minimum); the first NaN wins over any number. */
    private static int argBest(boolean max, float[] x, int base, int n, int stride) {
        int best = 0;
        float bestValue = x[base];
        for (int j = 0; j < n; j++) {
            float v = x[base + j * stride];
            if (Float.isNaN(v)) {
                return j;
            }
            if (max ? v > bestValue : v < bestValue) {
                best = j;
                bestValue = v;
            }
        }
        return best;
    }

    /** {@code m + ln sum_j e^(x_j - m)}; an infinite or NaN maximum is the answer itself. */
    static double logSumExp(float[] x, int base, int n, int stride) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            m = Math.max(m, x[base + j * stride]);
        }
        if (Double.isInfinite(m) || Double.isNaN(m)) {
            return m;
        }
        double s = 0.0;
        for (int j = 0; j < n; j++) {
            s += Math.exp(x[base + j * stride] - m);
        }
        return m + Math.log(s);
    }

    /**
     * {@code y_j = e^(x_j - m) / sum_k e^(x_k - m)}, or {@code x_j - m - ln sum_k e^(x_k - m)} when
     * {@code log}. Subtracting the maximum keeps large magnitudes exact; a row of all -Inf gives
     * {@code -Inf - (-Inf) = NaN}, as in PyTorch.
     */
    static void softmax(float[] x, int outer, int n, int inner, boolean log, float[] y) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    m = Math.max(m, x[base + j * inner]);
                }
                double s = 0.0;
                for (int j = 0; j < n; j++) {
                    s += Math.exp(x[base + j * inner] - m);
                }
                double logS = Math.log(s);
                for (int j = 0; j < n; j++) {
                    double shifted = x[base + j * inner] - m;
                    y[base + j * inner] = (float) (log ? shifted - logS : Math.exp(shifted) / s);
                }
            }
        }
    }

    /**
     * {@code gx_j = y_j (gy_j - sum_k gy_k y_k)}, or for log-softmax {@code gx_j = gy_j - e^(y_j) sum_k gy_k}.
     */
    static void softmaxBackward(float[] y, float[] gy, int outer, int n, int inner, boolean log, float[] gx) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                double s = 0.0;
                for (int j = 0; j < n; j++) {
                    int p = base + j * inner;
                    s += log ? gy[p] : (double) gy[p] * y[p];
                }
                for (int j = 0; j < n; j++) {
                    int p = base + j * inner;
                    gx[p] = (float) (log ? gy[p] - Math.exp(y[p]) * s : y[p] * (gy[p] - s));
                }
            }
        }
    }
}
