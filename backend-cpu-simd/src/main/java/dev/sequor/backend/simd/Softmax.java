package dev.sequor.backend.simd;

import jdk.incubator.vector.DoubleVector;
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
            s += StrictMath.exp((double) x[p + j * stride] - m);
        }
        if (log) {
            float lse = (float) StrictMath.log(s);
            for (int j = 0; j < n; j++) {
                y[q + j * stride] = (x[p + j * stride] - m) - lse;
            }
        } else {
            double inv = 1.0 / s;
            for (int j = 0; j < n; j++) {
                y[q + j * stride] = (float) (StrictMath.exp((double) x[p + j * stride] - m) * inv);
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
            FloatVector acc = FloatVector.zero(S);
            for (; i < bound; i += L) {
                acc = acc.add(VMath.exp(FloatVector.fromArray(S, x, p + i).sub(vm)));
            }
            s = VMath.sum(acc);
            for (; i < n; i++) {
                s += VMath.exp(x[p + i] - m);
            }
            float lse = (float) StrictMath.log(s);
            for (i = 0; i < bound; i += L) {
                FloatVector.fromArray(S, x, p + i).sub(vm).sub(lse).intoArray(y, q + i);
            }
            for (; i < n; i++) {
                y[q + i] = (x[p + i] - m) - lse;
            }
            return;
        }
        // Store the exponentials first, then scale: one EXP per element.
        FloatVector acc = FloatVector.zero(S);
        for (; i < bound; i += L) {
            FloatVector e = VMath.exp(FloatVector.fromArray(S, x, p + i).sub(vm));
            e.intoArray(y, q + i);
            acc = acc.add(e);
        }
        s = VMath.sum(acc);
        for (; i < n; i++) {
            float e = VMath.exp(x[p + i] - m);
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
        if (stride == 1) {
            backwardContiguous(y, gy, p, n, log, gx, q);
            return;
        }
        double s = 0;
        if (log) {
            for (int j = 0; j < n; j++) {
                s += gy[p + j * stride];
            }
            for (int j = 0; j < n; j++) {
                int k = p + j * stride;
                gx[q + j * stride] = (float) (gy[k] - StrictMath.exp(y[k]) * s);
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

    /** The stride-1 backward: the row sum in double lanes, the output pass in float vectors. */
    private static void backwardContiguous(float[] y, float[] gy, int p, int n, boolean log, float[] gx, int q) {
        double s = log ? Reduce.sum(gy, p, n) : dot(gy, y, p, n);
        int bound = S.loopBound(n);
        int i = 0;
        if (log) {
            FloatVector vs = FloatVector.broadcast(S, (float) s);
            for (; i < bound; i += L) {
                FloatVector e = VMath.exp(FloatVector.fromArray(S, y, p + i));
                e.neg().fma(vs, FloatVector.fromArray(S, gy, p + i)).intoArray(gx, q + i);
            }
            for (; i < n; i++) {
                gx[q + i] = Math.fma(-VMath.exp(y[p + i]), (float) s, gy[p + i]);
            }
            return;
        }
        FloatVector vs = FloatVector.broadcast(S, (float) s);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, gy, p + i).sub(vs).mul(FloatVector.fromArray(S, y, p + i)).intoArray(gx, q + i);
        }
        for (; i < n; i++) {
            gx[q + i] = (float) (y[p + i] * (gy[p + i] - s));
        }
    }

    /** {@code sum_j a[p+j] * b[p+j]} with exact products and double accumulation. */
    private static double dot(float[] a, float[] b, int p, int n) {
        int i = 0;
        double s = 0;
        if (n >= L) {
            DoubleVector acc0 = DoubleVector.zero(Reduce.D);
            DoubleVector acc1 = DoubleVector.zero(Reduce.D);
            int bound = S.loopBound(n);
            for (; i < bound; i += L) {
                FloatVector va = FloatVector.fromArray(S, a, p + i);
                FloatVector vb = FloatVector.fromArray(S, b, p + i);
                DoubleVector a0 = (DoubleVector) va.convertShape(VectorOperators.F2D, Reduce.D, 0);
                DoubleVector a1 = (DoubleVector) va.convertShape(VectorOperators.F2D, Reduce.D, 1);
                acc0 = a0.fma((DoubleVector) vb.convertShape(VectorOperators.F2D, Reduce.D, 0), acc0);
                acc1 = a1.fma((DoubleVector) vb.convertShape(VectorOperators.F2D, Reduce.D, 1), acc1);
            }
            s = VMath.sum(acc0.add(acc1));
        }
        for (; i < n; i++) {
            s += (double) a[p + i] * b[p + i];
        }
        return s;
    }
}
