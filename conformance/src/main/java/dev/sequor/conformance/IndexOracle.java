package dev.sequor.conformance;

/**
 * Double-precision index select / add and gather / scatter-add along the middle axis of contiguous
 * {@code (outer, n, inner)} arrays; indices are floats holding integers, assumed in range here.
 */
public final class IndexOracle {

    private IndexOracle() {
    }

    /** @return {@code out[o, j, i] = x[o, idx[j], i]}, shape {@code (outer, m, inner)} */
    public static double[] indexSelect(float[] x, int outer, int n, int inner, float[] idx, int m) {
        double[] out = new double[outer * m * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < inner; i++) {
                    out[(o * m + j) * inner + i] = x[(o * n + (int) idx[j]) * inner + i];
                }
            }
        }
        return out;
    }

    /** @return {@code out} after {@code out[o, idx[j], i] += g[o, j, i]}, shape {@code (outer, n, inner)} */
    public static double[] indexAdd(float[] g, int outer, int m, int inner, float[] idx, int n, float[] out) {
        double[] r = Oracle.widen(out);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < inner; i++) {
                    r[(o * n + (int) idx[j]) * inner + i] += g[(o * m + j) * inner + i];
                }
            }
        }
        return r;
    }

    /** @return {@code out[o, j, i] = x[o, idx[o, j, i], i]}, shape {@code (outer, m, inner)} */
    public static double[] gather(float[] x, int outer, int n, int inner, float[] idx, int m) {
        double[] out = new double[outer * m * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < inner; i++) {
                    int p = (o * m + j) * inner + i;
                    out[p] = x[(o * n + (int) idx[p]) * inner + i];
                }
            }
        }
        return out;
    }

    /** @return {@code out} after {@code out[o, idx[o, j, i], i] += g[o, j, i]} */
    public static double[] scatterAdd(float[] g, int outer, int m, int inner, float[] idx, int n, float[] out) {
        double[] r = Oracle.widen(out);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < inner; i++) {
                    int p = (o * m + j) * inner + i;
                    r[(o * n + (int) idx[p]) * inner + i] += g[p];
                }
            }
        }
        return r;
    }
}
