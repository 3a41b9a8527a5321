package dev.sequor.backend.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bitwise-reproducible vector maths: {@code exp}, {@code log}, {@code tanh}, {@code sigmoid} and
 * lane sums written only with IEEE-754 operations that round exactly one way ({@code +}, {@code *},
 * {@code fma}, {@code /}, compares, bit moves), each with a scalar twin that performs the same
 * operations in the same order, so a lane and the scalar tail give the same bits.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)} and {@code reduceLanes(ADD)}: the JDK leaves
 * both free to differ between implementations. The interpreted fallback of {@code EXP} calls
 * {@code Math.exp} per lane while C2's intrinsic calls a vector library with its own rounding, and
 * the fallback of {@code reduceLanes(ADD)} sums lanes in order while the intrinsic sums them as a
 * tree; so one call gave different last bits before and after the JIT compiled it. Here the sum is
 * one fixed tree (lane {@code i} with lane {@code i ^ L/2}, then {@code i ^ L/4}, ...) in every
 * implementation.
 *
 * <p>Accuracy, as {@code VMathTest} checks it against double on 65,536 points plus special values:
 * {@code exp} and {@code log} within 2 ulp, {@code tanh} and {@code sigmoid} within 3 ulp (tanh
 * also within 1e-7 absolute near 0). The polynomials are Cephes' {@code expf}, {@code logf} and
 * {@code tanhf} (S. L. Moshier).
 */
final class VMath {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = S.withLanes(int.class);
    static final int L = S.length();
    static final VectorSpecies<Double> D = Reduce.D;

    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to an integer. */
    private static final float ROUND = 12582912f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** e^x is 0 (below) or +Inf (above) in float; clamping first keeps the exponent arithmetic in int range. */
    private static final float EXP_LO = -104f;
    private static final float EXP_HI = 89f;
    private static final float SQRT_HALF = 0.707106781186547524f;
    private static final float MIN_NORMAL = Float.MIN_NORMAL;

    private static final VectorShuffle<Float>[] FOLD_F = folds(S);
    private static final VectorShuffle<Double>[] FOLD_D = folds(D);

    private VMath() {
    }

    @SuppressWarnings("unchecked")
    private static <E> VectorShuffle<E>[] folds(VectorSpecies<E> species) {
        int steps = Integer.numberOfTrailingZeros(species.length());
        VectorShuffle<E>[] f = new VectorShuffle[steps];
        for (int s = 0; s < steps; s++) {
            int bit = species.length() >> (s + 1);
            f[s] = VectorShuffle.fromOp(species, i -> i ^ bit);
        }
        return f;
    }

    /** @return the sum of the lanes of {@code v}, always as the same tree: halves first, then quarters, ... */
    static float sum(FloatVector v) {
        for (VectorShuffle<Float> f : FOLD_F) {
            v = v.add(v.rearrange(f));
        }
        return v.lane(0);
    }

    /** @return the sum of the lanes of {@code v}, as {@link #sum(FloatVector)} */
    static double sum(DoubleVector v) {
        for (VectorShuffle<Double> f : FOLD_D) {
            v = v.add(v.rearrange(f));
        }
        return v.lane(0);
    }

    /**
     * {@code e^x}: {@code x = n ln2 + r}, {@code |r| <= ln2 / 2}, {@code e^r} by a degree-7
     * polynomial, times {@code 2^n} applied as two exact powers of two so that subnormal results
     * and {@code +Inf} come out right. NaN gives NaN.
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(EXP_LO).min(EXP_HI);
        FloatVector t = x.fma(LOG2E, ROUND).sub(ROUND);
        FloatVector r = t.fma(bc(-LN2_HI), x);
        r = t.fma(bc(-LN2_LO), r);
        FloatVector p = r.fma(1.9875691500E-4f, 1.3981999507E-3f);
        p = p.fma(r, bc(8.3334519073E-3f));
        p = p.fma(r, bc(4.1665795894E-2f));
        p = p.fma(r, bc(1.6666665459E-1f));
        p = p.fma(r, bc(5.0000001201E-1f));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        IntVector n = (IntVector) t.convert(VectorOperators.F2I, 0);
        IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = n.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2);
    }

    /** The scalar twin of {@link #exp(FloatVector)}: the same operations, the same bits. */
    static float exp(float x) {
        x = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float t = Math.fma(x, LOG2E, ROUND) - ROUND;
        float r = Math.fma(t, -LN2_HI, x);
        r = Math.fma(t, -LN2_LO, r);
        float p = Math.fma(r, 1.9875691500E-4f, 1.3981999507E-3f);
        p = Math.fma(p, r, 8.3334519073E-3f);
        p = Math.fma(p, r, 4.1665795894E-2f);
        p = Math.fma(p, r, 1.6666665459E-1f);
        p = Math.fma(p, r, 5.0000001201E-1f);
        float y = Math.fma(p, r * r, r) + 1f;
        int n = (int) t;
        int n1 = n >> 1;
        int n2 = n - n1;
        return y * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
    }

    /**
     * {@code ln x}: {@code x = m 2^e} with {@code m} in {@code [sqrt(1/2), sqrt(2))}, {@code ln m} by
     * Cephes' polynomial in {@code m - 1}. {@code x < 0} and NaN give NaN, 0 gives -Inf, +Inf gives
     * +Inf; subnormals are scaled by {@code 2^23} first.
     */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(8388608f), tiny);
        IntVector bits = xs.reinterpretAsInts();
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(126)
                .sub(IntVector.zero(I).blend(23, tiny.cast(I)));
        FloatVector m = bits.and(0x807fffff).or(0x3f000000).reinterpretAsFloats();
        VectorMask<Float> low = m.compare(VectorOperators.LT, SQRT_HALF);
        e = e.sub(IntVector.zero(I).blend(1, low.cast(I)));
        m = m.add(m.blend(0f, low.not())).sub(1f);
        FloatVector fe = (FloatVector) e.convert(VectorOperators.I2F, 0);
        FloatVector z = m.mul(m);
        FloatVector p = m.fma(7.0376836292E-2f, -1.1514610310E-1f);
        p = p.fma(m, bc(1.1676998740E-1f));
        p = p.fma(m, bc(-1.2420140846E-1f));
        p = p.fma(m, bc(1.4249322787E-1f));
        p = p.fma(m, bc(-1.6668057665E-1f));
        p = p.fma(m, bc(2.0000714765E-1f));
        p = p.fma(m, bc(-2.4999993993E-1f));
        p = p.fma(m, bc(3.3333331174E-1f));
        FloatVector y = p.mul(m).mul(z);
        y = fe.fma(bc(LN2_LO), y);
        y = z.fma(bc(-0.5f), y);
        FloatVector r = fe.fma(bc(LN2_HI), m.add(y));
        r = r.blend(Float.NaN, x.compare(VectorOperators.LT, 0f).or(x.compare(VectorOperators.NE, x)));
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        return r.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
    }

    /** The scalar twin of {@link #log(FloatVector)}. */
    static float log(float x) {
        if (x != x || x < 0f) {
            return Float.NaN;
        }
        if (x == 0f) {
            return Float.NEGATIVE_INFINITY;
        }
        if (x == Float.POSITIVE_INFINITY) {
            return x;
        }
        boolean tiny = x < MIN_NORMAL;
        float xs = tiny ? x * 8388608f : x;
        int bits = Float.floatToRawIntBits(xs);
        int e = ((bits >>> 23) & 0xff) - 126 - (tiny ? 23 : 0);
        float m = Float.intBitsToFloat((bits & 0x807fffff) | 0x3f000000);
        boolean low = m < SQRT_HALF;
        e -= low ? 1 : 0;
        m = (m + (low ? m : 0f)) - 1f;
        float fe = e;
        float z = m * m;
        float p = Math.fma(m, 7.0376836292E-2f, -1.1514610310E-1f);
        p = Math.fma(p, m, 1.1676998740E-1f);
        p = Math.fma(p, m, -1.2420140846E-1f);
        p = Math.fma(p, m, 1.4249322787E-1f);
        p = Math.fma(p, m, -1.6668057665E-1f);
        p = Math.fma(p, m, 2.0000714765E-1f);
        p = Math.fma(p, m, -2.4999993993E-1f);
        p = Math.fma(p, m, 3.3333331174E-1f);
        float y = p * m * z;
        y = Math.fma(fe, LN2_LO, y);
        y = Math.fma(z, -0.5f, y);
        return Math.fma(fe, LN2_HI, m + y);
    }

    /**
     * {@code tanh x}: Cephes' odd polynomial for {@code |x| < 0.625}, else
     * {@code sign(x) (1 - 2 / (e^{2|x|} + 1))}; NaN gives NaN.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(-5.70498872745E-3f, 2.06390887954E-2f);
        p = p.fma(z, bc(-5.37397155531E-2f));
        p = p.fma(z, bc(1.33314422036E-1f));
        p = p.fma(z, bc(-3.33332819422E-1f));
        FloatVector small = p.mul(z).fma(x, x);
        FloatVector big = ONE.sub(TWO.div(exp(a.add(a)).add(1f)));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        return small.blend(big, a.compare(VectorOperators.GE, 0.625f));
    }

    /** The scalar twin of {@link #tanh(FloatVector)}. */
    static float tanh(float x) {
        float a = Math.abs(x);
        if (a >= 0.625f) {
            float big = 1f - 2f / (exp(a + a) + 1f);
            return x < 0f ? -big : big;
        }
        float z = x * x;
        float p = Math.fma(z, -5.70498872745E-3f, 2.06390887954E-2f);
        p = Math.fma(p, z, -5.37397155531E-2f);
        p = Math.fma(p, z, 1.33314422036E-1f);
        p = Math.fma(p, z, -3.33332819422E-1f);
        return Math.fma(p * z, x, x);
    }

    /** {@code 1 / (1 + e^-x)} as {@code r} or {@code e r} with {@code e = e^-|x|}, which never overflows. */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector r = ONE.div(e.add(1f));
        return r.blend(e.mul(r), x.compare(VectorOperators.LT, 0f));
    }

    /** The scalar twin of {@link #sigmoid(FloatVector)}. */
    static float sigmoid(float x) {
        float e = exp(-Math.abs(x));
        float r = 1f / (e + 1f);
        return x < 0f ? e * r : r;
    }

    // ------------------------------------------------------------------ whole runs
    //
    // The array forms below write the vector code out in the loop, exp included, calling no method
    // of this class: a FloatVector helper of this size gets compiled by C2 as a method of its own
    // (C1 never inlines it, so it turns hot by itself), is then "too big to inline" into the loops
    // compiled later, and every vector passed to it or returned is boxed on the heap. With nothing
    // but the JDK's own (force-inlined) vector operations in the body, a loop is inlined or called
    // as a whole and either way keeps its vectors in registers. Same operations, same order, same
    // bits as the FloatVector forms and their scalar twins (VMathTest checks the bits).

    /** {@code y[yo + i] = e^x[xo + i]} for {@code i < n}, as {@link #exp(FloatVector)}; x may be y. */
    static void exp(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector ex = v.max(EXP_LO).min(EXP_HI);
            FloatVector et = ex.fma(LOG2E, ROUND).sub(ROUND);
            FloatVector er = et.fma(FloatVector.broadcast(S, -LN2_HI), ex);
            er = et.fma(FloatVector.broadcast(S, -LN2_LO), er);
            FloatVector ep = er.fma(1.9875691500E-4f, 1.3981999507E-3f);
            ep = ep.fma(er, FloatVector.broadcast(S, 8.3334519073E-3f));
            ep = ep.fma(er, FloatVector.broadcast(S, 4.1665795894E-2f));
            ep = ep.fma(er, FloatVector.broadcast(S, 1.6666665459E-1f));
            ep = ep.fma(er, FloatVector.broadcast(S, 5.0000001201E-1f));
            FloatVector ey = ep.fma(er.mul(er), er).add(1f);
            IntVector en = (IntVector) et.convert(VectorOperators.F2I, 0);
            IntVector en1 = en.lanewise(VectorOperators.ASHR, 1);
            IntVector en2 = en.sub(en1);
            FloatVector es1 = en1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector es2 = en2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = ey.mul(es1).mul(es2);
            e.intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = exp(x[xo + i]);
        }
    }

    /** {@code y[yo + i] = tanh x[xo + i]} for {@code i < n}, as {@link #tanh(FloatVector)}; x may be y. */
    static void tanh(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector a = v.abs();
            FloatVector z = v.mul(v);
            FloatVector p = z.fma(-5.70498872745E-3f, 2.06390887954E-2f);
            p = p.fma(z, FloatVector.broadcast(S, -5.37397155531E-2f));
            p = p.fma(z, FloatVector.broadcast(S, 1.33314422036E-1f));
            p = p.fma(z, FloatVector.broadcast(S, -3.33332819422E-1f));
            FloatVector small = p.mul(z).fma(v, v);
            FloatVector a2 = a.add(a);
            FloatVector ex = a2.max(EXP_LO).min(EXP_HI);
            FloatVector et = ex.fma(LOG2E, ROUND).sub(ROUND);
            FloatVector er = et.fma(FloatVector.broadcast(S, -LN2_HI), ex);
            er = et.fma(FloatVector.broadcast(S, -LN2_LO), er);
            FloatVector ep = er.fma(1.9875691500E-4f, 1.3981999507E-3f);
            ep = ep.fma(er, FloatVector.broadcast(S, 8.3334519073E-3f));
            ep = ep.fma(er, FloatVector.broadcast(S, 4.1665795894E-2f));
            ep = ep.fma(er, FloatVector.broadcast(S, 1.6666665459E-1f));
            ep = ep.fma(er, FloatVector.broadcast(S, 5.0000001201E-1f));
            FloatVector ey = ep.fma(er.mul(er), er).add(1f);
            IntVector en = (IntVector) et.convert(VectorOperators.F2I, 0);
            IntVector en1 = en.lanewise(VectorOperators.ASHR, 1);
            IntVector en2 = en.sub(en1);
            FloatVector es1 = en1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector es2 = en2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = ey.mul(es1).mul(es2);
            FloatVector big = ONE.sub(TWO.div(e.add(1f)));
            big = big.blend(big.neg(), v.compare(VectorOperators.LT, 0f));
            small.blend(big, a.compare(VectorOperators.GE, 0.625f)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = tanh(x[xo + i]);
        }
    }

    /** {@code y[yo + i] = 1 / (1 + e^-x[xo + i])} for {@code i < n}, as {@link #sigmoid(FloatVector)}; x may be y. */
    static void sigmoid(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector na = v.abs().neg();
            FloatVector ex = na.max(EXP_LO).min(EXP_HI);
            FloatVector et = ex.fma(LOG2E, ROUND).sub(ROUND);
            FloatVector er = et.fma(FloatVector.broadcast(S, -LN2_HI), ex);
            er = et.fma(FloatVector.broadcast(S, -LN2_LO), er);
            FloatVector ep = er.fma(1.9875691500E-4f, 1.3981999507E-3f);
            ep = ep.fma(er, FloatVector.broadcast(S, 8.3334519073E-3f));
            ep = ep.fma(er, FloatVector.broadcast(S, 4.1665795894E-2f));
            ep = ep.fma(er, FloatVector.broadcast(S, 1.6666665459E-1f));
            ep = ep.fma(er, FloatVector.broadcast(S, 5.0000001201E-1f));
            FloatVector ey = ep.fma(er.mul(er), er).add(1f);
            IntVector en = (IntVector) et.convert(VectorOperators.F2I, 0);
            IntVector en1 = en.lanewise(VectorOperators.ASHR, 1);
            IntVector en2 = en.sub(en1);
            FloatVector es1 = en1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector es2 = en2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = ey.mul(es1).mul(es2);
            FloatVector r = ONE.div(e.add(1f));
            r.blend(e.mul(r), v.compare(VectorOperators.LT, 0f)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = sigmoid(x[xo + i]);
        }
    }

    private static FloatVector bc(float c) {
        return FloatVector.broadcast(S, c);
    }

    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
}
