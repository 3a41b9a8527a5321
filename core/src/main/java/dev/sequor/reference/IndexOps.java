package dev.sequor.reference;

/**
 * Index select / add and gather / scatter-add along the middle axis of contiguous
 * {@code (outer, n, inner)} arrays. Indices are floats holding exact integers; anything else (out of
 * range, fractional, NaN) is an {@link IndexOutOfBoundsException} naming the index and the bound.
 * The adds accumulate in double, so repeated indices sum exactly before one rounding.
 */
final class IndexOps {

    private IndexOps() {
    }

    /** {@code out[(o*m + j)*inner + i] = x[(o*n + idx[j])*inner + i]}. */
    static void indexSelect(float[] x, int outer, int n, int inner, float[] idx, int m, float[] out) {
        int[] rows = indices("indexSelect", idx, m, n);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                System.arraycopy(x, (o * n + rows[j]) * inner, out, (o * m + j) * inner, inner);
            }
        }
    }

    /** {@code out[(o*n + idx[j])*inner + i] += g[(o*m + j)*inner + i]}. */
    static void indexAdd(float[] g, int outer, int m, int inner, float[] idx, int n, float[] out) {
        int[] rows = indices("indexAdd", idx, m, n);
        double[] acc = widen(out, outer * n * inner);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < inner; i++) {
                    acc[(o * n + rows[j]) * inner + i] += g[(o * m + j) * inner + i];
                }
            }
        }
        narrow(acc, out);
    }

    /** {@code out[p] = x[(o*n + idx[p])*inner + i]} for {@code p = (o*m + j)*inner + i}. */
    static void gather(float[] x, int outer, int n, int inner, float[] idx, int m, float[] out) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < inner; i++) {
                    int p = (o * m + j) * inner + i;
                    int row = Checks.index("gather", idx[p], n);
                    out[p] = x[(o * n + row) * inner + i];
                }
            }
        }
    }

    /** {@code out[(o*n + idx[p])*inner + i] += g[p]} for {@code p = (o*m + j)*inner + i}. */
    static void scatterAdd(float[] g, int outer, int m, int inner, float[] idx, int n, float[] out) {
        // Check every index before writing, so a bad index leaves out untouched.
        for (int p = 0; p < outer * m * inner; p++) {
            Checks.index("scatterAdd", idx[p], n);
        }
        double[] acc = widen(out, outer * n * inner);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < inner; i++) {
                    int p = (o * m + j) * inner + i;
                    acc[(o * n + (int) idx[p]) * inner + i] += g[p];
                }
            }
        }
        narrow(acc, out);
    }

    private static int[] indices(String op, float[] idx, int m, int n) {
        int[] rows = new int[m];
        for (int j = 0; j < m; j++) {
            rows[j] = Checks.index(op, idx[j], n);
        }
        return rows;
    }

    private static double[] widen(float[] a, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static void narrow(double[] d, float[] a) {
        for (int i = 0; i < d.length; i++) {
            a[i] = (float) d[i];
        }
    }
}
