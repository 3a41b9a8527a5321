package dev.sequor.backend.simd;

import dev.sequor.spi.ReduceOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions along the middle axis of {@code (outer, n, inner)}. Sums accumulate in double (the
 * conformance oracle is double), with float vectors widened lane by lane.
 */
final class Reduce {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> D = VectorSpecies.of(double.class, S.vectorShape());
    static final int L = S.length();

    private Reduce() {
    }

    /**
     * Reduces the {@code n} elements {@code x[o + j*inner]}, for output columns {@code [i0, i1)} of row
     * {@code o}; accumulators come from {@code ws}.
     */
    static void columns(ReduceOp op, float[] x, int base, int n, int inner, int i0, int i1, float[] out, int outBase,
                        Workspace ws) {
        if (inner == 1) {
            for (int i = i0; i < i1; i++) {
                out[outBase + i] = row(op, x, base + i, n);
            }
            return;
        }
        int w = i1 - i0;
        if (op == ReduceOp.SUM || op == ReduceOp.MEAN) {
            double[] acc = ws.doubles(w);
            for (int j = 0; j < n; j++) {
                int r = base + j * inner + i0;
                for (int i = 0; i < w; i++) {
                    acc[i] += x[r + i];
                }
            }
            for (int i = 0; i < w; i++) {
                out[outBase + i0 + i] = (float) (op == ReduceOp.MEAN ? acc[i] / n : acc[i]);
            }
            ws.give(acc);
            return;
        }
        float[] tmp = ws.floats(n);
        for (int i = i0; i < i1; i++) {
            for (int j = 0; j < n; j++) {
                tmp[j] = x[base + j * inner + i];
            }
            out[outBase + i] = row(op, tmp, 0, n);
        }
        ws.give(tmp);
    }

    /** Reduces the contiguous run {@code x[p .. p+n)}. */
    static float row(ReduceOp op, float[] x, int p, int n) {
        return switch (op) {
            case SUM -> (float) sum(x, p, n);
            case MEAN -> (float) (sum(x, p, n) / n);
            case MAX -> extreme(x, p, n, true);
            case MIN -> extreme(x, p, n, false);
            case ARGMAX -> arg(x, p, n, true);
            case ARGMIN -> arg(x, p, n, false);
            case LOGSUMEXP -> logSumExp(x, p, n);
        };
    }

    static double sum(float[] x, int p, int n) {
        int i = 0;
        double s = 0;
        if (n >= 2 * L) {
            DoubleVector a0 = DoubleVector.zero(D);
            DoubleVector a1 = DoubleVector.zero(D);
            int bound = S.loopBound(n);
            for (; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, p + i);
                a0 = a0.add((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0));
                a1 = a1.add((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1));
            }
            s = VMath.sum(a0.add(a1));
        }
        for (; i < n; i++) {
            s += x[p + i];
        }
        return s;
    }

    /** max/min with NaN propagation, -Inf/+Inf for n = 0. */
    static float extreme(float[] x, int p, int n, boolean max) {
        VectorOperators.Associative vop = max ? VectorOperators.MAX : VectorOperators.MIN;
        float r = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        int i = 0;
        if (n >= L) {
            FloatVector acc = FloatVector.broadcast(S, r);
            int bound = S.loopBound(n);
            for (; i < bound; i += L) {
                acc = acc.lanewise(vop, FloatVector.fromArray(S, x, p + i));
            }
            r = acc.reduceLanes(vop);
        }
        for (; i < n; i++) {
            r = max ? Math.max(r, x[p + i]) : Math.min(r, x[p + i]);
        }
        return r;
    }

    private static float arg(float[] x, int p, int n, boolean max) {
        int best = 0;
        float bv = n > 0 ? x[p] : Float.NaN;
        for (int j = 1; j < n && bv == bv; j++) {
            float v = x[p + j];
            if (v != v || (max ? v > bv : v < bv)) {
                best = j;
                bv = v;
            }
        }
        return n == 0 ? Float.NaN : best;
    }

    static float logSumExp(float[] x, int p, int n) {
        float m = extreme(x, p, n, true);
        if (m != m || Float.isInfinite(m)) {
            return m;
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += StrictMath.exp((double) x[p + j] - m);
        }
        return (float) (m + StrictMath.log(s));
    }
}
