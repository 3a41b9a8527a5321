package dev.sequor.backend.simd;

import dev.sequor.spi.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Strided elementwise ops (copy, broadcasting binary, select, affine): the shape is collapsed,
 * split by element range across threads, and each innermost run goes to a vector kernel when its
 * strides allow (contiguous, or a stride-0 broadcast) and to the scalar twin otherwise.
 */
final class Elementwise {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private Elementwise() {
    }

    static void copyStrided(SimdBackend be, float[] s, long so, long[] ss, float[] d, long dOff, long[] ds, int[] shape) {
        Strided.Layout l = Strided.collapse(shape, ss, ds);
        if (l.count() == 0) {
            return;
        }
        long[] origin = {so, dOff};
        be.forRange(l.count(), (f, t) -> Strided.forRuns(l, origin, f, t, (base, st, len) -> {
            int sp = (int) base[0];
            int dp = (int) base[1];
            long sst = st[0];
            long dst = st[1];
            if (sst == 1 && dst == 1) {
                System.arraycopy(s, sp, d, dp, len);
            } else if (sst == 0 && dst == 1) {
                java.util.Arrays.fill(d, dp, dp + len, s[sp]);
            } else {
                for (int i = 0; i < len; i++) {
                    d[(int) (dp + i * dst)] = s[(int) (sp + i * sst)];
                }
            }
        }));
    }

    static void binary(SimdBackend be, BinaryOp op, float[] a, long[] as, float[] b, long[] bs, float[] out, int[] shape) {
        Strided.Layout l = Strided.collapse(shape, as, bs, Strided.dense(shape));
        if (l.count() == 0) {
            return;
        }
        long[] origin = {0, 0, 0};
        be.forRange(l.count(), (f, t) -> Strided.forRuns(l, origin, f, t, (base, st, len) ->
                Binary.run(op, a, (int) base[0], st[0], b, (int) base[1], st[1], out, (int) base[2], st[2], len)));
    }

    static void where(SimdBackend be, float[] c, long[] cs, float[] a, long[] as, float[] b, long[] bs,
                      float[] out, int[] shape) {
        Strided.Layout l = Strided.collapse(shape, cs, as, bs, Strided.dense(shape));
        if (l.count() == 0) {
            return;
        }
        long[] origin = {0, 0, 0, 0};
        be.forRange(l.count(), (f, t) -> Strided.forRuns(l, origin, f, t, (base, st, len) -> {
            int cp = (int) base[0];
            int ap = (int) base[1];
            int bp = (int) base[2];
            int op = (int) base[3];
            for (int i = 0; i < len; i++) {
                // NaN != 0 is true, so a NaN condition selects a, as the contract says.
                out[(int) (op + i * st[3])] = c[(int) (cp + i * st[0])] != 0f
                        ? a[(int) (ap + i * st[1])] : b[(int) (bp + i * st[2])];
            }
        }));
    }

    /** {@code y[i] = alpha * x[i] + beta} for {@code i in [from, to)}, with one rounding (a fused multiply-add). */
    static void affine(float[] x, float alpha, float beta, float[] y, int from, int to) {
        int i = from;
        int bound = from + S.loopBound(to - from);
        FloatVector va = FloatVector.broadcast(S, alpha);
        FloatVector vb = FloatVector.broadcast(S, beta);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, i).fma(va, vb).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = Math.fma(alpha, x[i], beta);
        }
    }
}
