package dev.sequor.conformance;

import dev.sequor.spi.ReduceOp;

import java.util.Arrays;

/**
 * Double-precision reductions and softmax along the middle axis of a contiguous
 * {@code (outer, n, inner)} array, element {@code (o, j, i)} at {@code (o * n + j) * inner + i}.
 */
public final class ReductionOracle {

    private ReductionOracle() {
    }

    /** @return {@code out[o * inner + i] = R_j x[o, j, i]} per the {@link ReduceOp} Javadoc */
    public static double[] reduce(ReduceOp op, float[] x, int outer, int n, int inner) {
        double[] out = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double[] row = new double[n];
                for (int j = 0; j < n; j++) {
                    row[j] = x[(o * n + j) * inner + i];
                }
                out[o * inner + i] = reduceRow(op, row);
            }
        }
        return out;
    }

    /** @return the reduction of one row */
    public static double reduceRow(ReduceOp op, double[] row) {
        return switch (op) {
            case SUM -> sum(row);
            case MEAN -> sum(row) / row.length;
            case MAX -> anyNaN(row) ? Double.NaN : Arrays.stream(row).max().orElse(Double.NEGATIVE_INFINITY);
            case MIN -> anyNaN(row) ? Double.NaN : Arrays.stream(row).min().orElse(Double.POSITIVE_INFINITY);
            case ARGMAX -> argBest(row, true);
            case ARGMIN -> argBest(row, false);
            case LOGSUMEXP -> logSumExp(row);
        };
    }

    /** @return {@code m + ln sum e^(x - m)}; -Inf when empty or all -Inf, +Inf if any +Inf, NaN if any NaN */
    public static double logSumExp(double[] row) {
        if (anyNaN(row)) {
            return Double.NaN;
        }
        double m = Double.NEGATIVE_INFINITY;
        for (double v : row) {
            m = Math.max(m, v);
        }
        if (Double.isInfinite(m)) {
            return m;
        }
        double s = 0;
        for (double v : row) {
            s += Math.exp(v - m);
        }
        return m + Math.log(s);
    }

    /** @return per-row softmax (or log-softmax) of the middle axis, in double */
    public static double[] softmax(float[] x, int outer, int n, int inner, boolean log) {
        double[] y = new double[outer * n * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double[] row = new double[n];
                for (int j = 0; j < n; j++) {
                    row[j] = x[(o * n + j) * inner + i];
                }
                double lse = logSumExp(row);
                for (int j = 0; j < n; j++) {
                    // All -Inf: -Inf - (-Inf) is NaN, which is the contract (as PyTorch).
                    double v = Double.isInfinite(lse) && lse < 0 ? Double.NaN : row[j] - lse;
                    y[(o * n + j) * inner + i] = log ? v : Math.exp(v);
                }
            }
        }
        return y;
    }

    /** @return {@code gx_j = y_j (gy_j - sum_k gy_k y_k)}, or {@code gy_j - e^(y_j) sum_k gy_k} when log */
    public static double[] softmaxBackward(float[] y, float[] gy, int outer, int n, int inner, boolean log) {
        double[] gx = new double[outer * n * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    int p = (o * n + j) * inner + i;
                    s += log ? gy[p] : (double) gy[p] * y[p];
                }
                for (int j = 0; j < n; j++) {
                    int p = (o * n + j) * inner + i;
                    gx[p] = log ? gy[p] - Math.exp(y[p]) * s : y[p] * (gy[p] - s);
                }
            }
        }
        return gx;
    }

    private static double sum(double[] row) {
        double s = 0;
        for (double v : row) {
            s += v;
        }
        return s;
    }

    private static boolean anyNaN(double[] row) {
        for (double v : row) {
            if (Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    private static int argBest(double[] row, boolean max) {
        int best = 0;
        for (int j = 0; j < row.length; j++) {
            if (Double.isNaN(row[j])) {
                return j;
            }
            if (max ? row[j] > row[best] : row[j] < row[best]) {
                best = j;
            }
        }
        return best;
    }
}
