package dev.sequor.backend.simd;

import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.CounterRng;
import dev.sequor.spi.RandomKind;

/**
 * Index ops (index select/add, gather, scatter-add) and counter-based random fills. Indices are
 * floats holding exact integers; every one is checked before it is used.
 */
final class Indexing {

    private Indexing() {
    }

    static int index(float f, int n, String op, long at) {
        int v = (int) f;
        if (v != f || v < 0 || v >= n) {
            throw new IndexOutOfBoundsException(op + ": index " + f + " at position " + at + " is outside [0, " + n + ")");
        }
        return v;
    }

    static void indexSelect(float[] x, int outer, int n, int inner, float[] idx, int m, float[] out) {
        for (int j = 0; j < m; j++) {
            index(idx[j], n, "indexSelect", j);
        }
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                int src = (o * n + (int) idx[j]) * inner;
                System.arraycopy(x, src, out, (o * m + j) * inner, inner);
            }
        }
    }

    static void indexAdd(float[] g, int outer, int m, int inner, float[] idx, int n, float[] out) {
        for (int j = 0; j < m; j++) {
            index(idx[j], n, "indexAdd", j);
        }
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                int dst = (o * n + (int) idx[j]) * inner;
                Binary.run(BinaryOp.ADD, out, dst, 1, g, (o * m + j) * inner, 1, out, dst, 1, inner);
            }
        }
    }

    static void gather(float[] x, int outer, int n, int inner, float[] idx, int m, float[] out) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                int p = (o * m + j) * inner;
                for (int i = 0; i < inner; i++) {
                    int v = index(idx[p + i], n, "gather", p + i);
                    out[p + i] = x[(o * n + v) * inner + i];
                }
            }
        }
    }

    static void scatterAdd(float[] g, int outer, int m, int inner, float[] idx, int n, float[] out) {
        long total = (long) outer * m * inner;
        for (int p = 0; p < total; p++) {
            index(idx[p], n, "scatterAdd", p);
        }
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                int p = (o * m + j) * inner;
                for (int i = 0; i < inner; i++) {
                    out[(o * n + (int) idx[p + i]) * inner + i] += g[p + i];
                }
            }
        }
    }

    /** Elements {@code [from, to)} of the fill: element {@code i} uses counter {@code i}. */
    static void random(float[] out, int offset, long from, long to, RandomKind kind, float a, float b, long seed) {
        switch (kind) {
            case UNIFORM -> {
                float w = b - a;
                for (long i = from; i < to; i++) {
                    out[(int) (offset + i)] = a + w * CounterRng.uniform(seed, i);
                }
            }
            case NORMAL -> {
                for (long i = from; i < to; i++) {
                    out[(int) (offset + i)] = a + b * CounterRng.normal(seed, i);
                }
            }
            case BERNOULLI -> {
                for (long i = from; i < to; i++) {
                    out[(int) (offset + i)] = CounterRng.uniform(seed, i) < a ? 1f : 0f;
                }
            }
        }
    }
}
