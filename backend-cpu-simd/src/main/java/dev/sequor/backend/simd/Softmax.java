package dev.sequor.backend.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax and log-softmax, forward and backward, along one axis. A row is visited through a
 * base and a stride ({@code inner}); stride-1 rows take the vector path. Exponentials are float
 * vector EXP (0.5 ulp here); their sum accumulates in double.
 */
final class Softmax {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private Softmax() {
    }

    static void forward(float[] x, int p, int n, int stride, boolean log, float[] y, int q) {
        if (stride == 1) {
            contiguous(x, p, n, log, y, q);
            return;
        }
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            m = Math.max(m, x[p + j * stride]);
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += Math.exp((double) x[p + j * stride] - m);
        }
        if (log) {
            float lse = (float) Math.log(s);
            for (int j = 0; j < n; j++) {
                y[q + j * stride] = (x[p + j * stride] - m) - lse;
            }
        } else {
            double inv = 1.0 / s;
            for (int j = 0; j < n; j++) {
                y[q + j * stride] = (float) (Math.exp((double) x[p + j * stride] - m) * inv);
            }
        }
    }

    private static void contiguous(float[] x, int p, int n, boolean log, float[] y, int q) {
        float m = Reduce.extreme(x, p, n, true);
        int bound = S.loopBound(n);
        double s = 0;
        FloatVector vm = FloatVector.broadcast(S, m);
        int i = 0;
        if (log) {
            for (; i < bound; i += L) {
                s += FloatVector.fromArray(S, x, p + i).sub(vm).lanewise(VectorOperators.EXP)
                        .reduceLanes(VectorOperators.ADD);
            }
            for (; i < n; i++) {
                s += (float) Math.exp(x[p + i] - m);
            }
            float lse = (float) Math.log(s);
            for (i = 0; i < bound; i += L) {
                FloatVector.fromArray(S, x, p + i).sub(vm).sub(lse).intoArray(y, q + i);
            }
            for (; i < n; i++) {
                y[q + i] = (x[p + i] - m) - lse;
            }
            return;
        }
        // Store the exponentials first, then scale: one EXP per element.
        for (; i < bound; i += L) {
            FloatVector e = FloatVector.fromArray(S, x, p + i).sub(vm).lanewise(VectorOperators.EXP);
            e.intoArray(y, q + i);
            s += e.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp(x[p + i] - m);
            y[q + i] = e;
            s += e;
        }
        float inv = (float) (1.0 / s);
        for (i = 0; i < bound; i += L) {
            FloatVector.fromArray(S, y, q + i).mul(inv).intoArray(y, q + i);
        }
        for (; i < n; i++) {
            y[q + i] *= inv;
        }
    }

    static void backward(float[] y, float[] gy, int p, int n, int stride, boolean log, float[] gx, int q) {
        double s = 0;
        if (log) {
            for (int j = 0; j < n; j++) {
                s += gy[p + j * stride];
            }
            for (int j = 0; j < n; j++) {
                int k = p + j * stride;
                gx[q + j * stride] = (float) (gy[k] - Math.exp(y[k]) * s);
            }
        } else {
            for (int j = 0; j < n; j++) {
                int k = p + j * stride;
                s += (double) gy[k] * y[k];
            }
            for (int j = 0; j < n; j++) {
                int k = p + j * stride;
                gx[q + j * stride] = (float) (y[k] * (gy[k] - s));
            }
        }
    }
}
