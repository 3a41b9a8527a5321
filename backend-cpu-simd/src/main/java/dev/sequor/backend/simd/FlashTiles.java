package dev.sequor.backend.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector kernels of {@link SimdFlashAttention}: a small GEMM on L1-resident tiles, and the row
 * passes of the online softmax (scale and bias, running max, {@code exp} and sum). Each kernel has a
 * masked or scalar tail, so any head width works; widths that are multiples of {@code 2 * L} take
 * only the full-vector path.
 */
final class FlashTiles {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Columns of a register tile: two vectors. */
    static final int NR = 2 * L;

    private FlashTiles() {
    }

    /**
     * {@code C = A B} ({@code acc} false) or {@code C += A B} ({@code acc} true), with
     * {@code C (m, n)} at {@code c[co + i*ldc + j]}, {@code A (m, k)} read element by element at
     * {@code a[ao + i*ars + p*acs]} (so a transposed A costs nothing), {@code B (k, n)} row-major at
     * {@code b[bo + p*ldb + j]}.
     */
    static void mul(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int ldb,
                    float[] c, int co, int ldc, boolean acc) {
        int j = 0;
        for (; j + NR <= n; j += NR) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                tile4(k, a, ao + i * ars, ars, acs, b, bo + j, ldb, c, co + i * ldc + j, ldc, acc);
            }
            for (; i < m; i++) {
                tile1(k, a, ao + i * ars, acs, b, bo + j, ldb, c, co + i * ldc + j, acc);
            }
        }
        for (; j < n; j += L) {
            VectorMask<Float> mask = S.indexInRange(j, n);
            for (int i = 0; i < m; i++) {
                tileMasked(k, a, ao + i * ars, acs, b, bo + j, ldb, c, co + i * ldc + j, acc, mask);
            }
        }
    }

    /** Four rows by two vectors: eight accumulators. Inner kernel loop, kept long on purpose. */
    private static void tile4(int k, float[] a, int ai, int ars, int acs, float[] b, int bi, int ldb,
                              float[] c, int ci, int ldc, boolean acc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        int a1 = ars;
        int a2 = 2 * ars;
        int a3 = 3 * ars;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ai + a1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ai + a2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ai + a3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            ai += acs;
            bi += ldb;
        }
        store(c00, c01, c, ci, acc);
        store(c10, c11, c, ci + ldc, acc);
        store(c20, c21, c, ci + 2 * ldc, acc);
        store(c30, c31, c, ci + 3 * ldc, acc);
    }

    private static void tile1(int k, float[] a, int ai, int acs, float[] b, int bi, int ldb, float[] c, int ci,
                              boolean acc) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        for (int p = 0; p < k; p++) {
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c0 = x.fma(FloatVector.fromArray(S, b, bi), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, bi + L), c1);
            ai += acs;
            bi += ldb;
        }
        store(c0, c1, c, ci, acc);
    }

    private static void tileMasked(int k, float[] a, int ai, int acs, float[] b, int bi, int ldb, float[] c, int ci,
                                   boolean acc, VectorMask<Float> mask) {
        FloatVector c0 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            c0 = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bi, mask), c0);
            ai += acs;
            bi += ldb;
        }
        if (acc) {
            c0 = c0.add(FloatVector.fromArray(S, c, ci, mask));
        }
        c0.intoArray(c, ci, mask);
    }

    private static void store(FloatVector v0, FloatVector v1, float[] c, int ci, boolean acc) {
        if (acc) {
            v0 = v0.add(FloatVector.fromArray(S, c, ci));
            v1 = v1.add(FloatVector.fromArray(S, c, ci + L));
        }
        v0.intoArray(c, ci);
        v1.intoArray(c, ci + L);
    }

    // ------------------------------------------------------------ row passes over one score row

    /**
     * Turns raw dot products into scores in place: {@code s[j] = scale * s[j] + bias[j]} for
     * {@code j < nv} and {@code -Inf} for {@code nv <= j < width}. The bias row is
     * {@code bias[bo + j*bs]}, or absent when {@code bias} is null. {@code so} and {@code width} may be
     * anything (a window starts the row mid-tile); the tails are scalar.
     *
     * @return the row maximum ({@code -Inf} when every score is excluded)
     */
    static float scores(float[] s, int so, int nv, int width, float scale, float[] bias, long bo, long bs) {
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector vs = FloatVector.broadcast(S, scale);
        if (bias != null && bs != 1) {
            for (int j = 0; j < nv; j++) {
                s[so + j] = scale * s[so + j] + bias[(int) (bo + j * bs)];
            }
            vs = FloatVector.broadcast(S, 1f);
        }
        boolean vecBias = bias != null && bs == 1;
        int j = 0;
        for (; j + L <= nv; j += L) {
            FloatVector x = FloatVector.fromArray(S, s, so + j).mul(vs);
            if (vecBias) {
                x = x.add(FloatVector.fromArray(S, bias, (int) bo + j));
            }
            x.intoArray(s, so + j);
            vmax = vmax.max(x);
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; j < nv; j++) {
            float x = vs.lane(0) * s[so + j] + (vecBias ? bias[(int) bo + j] : 0f);
            s[so + j] = x;
            max = Math.max(max, x);
        }
        for (; j < width; j++) {
            s[so + j] = Float.NEGATIVE_INFINITY;
        }
        return max;
    }

    /**
     * {@code s[j] = exp(s[j] - shift)} over a row of {@code width} (a multiple of L); {@code shift} is
     * finite, so excluded ({@code -Inf}) scores become exactly 0.
     *
     * @return the row sum
     */
    static float exp(float[] s, int so, int width, float shift) {
        FloatVector vm = FloatVector.broadcast(S, shift);
        FloatVector sum = FloatVector.zero(S);
        for (int j = 0; j < width; j += L) {
            FloatVector x = VMath.exp(FloatVector.fromArray(S, s, so + j).sub(vm));
            x.intoArray(s, so + j);
            sum = sum.add(x);
        }
        return VMath.sum(sum);
    }

    /** {@code x[i] *= f} for {@code i < n}. */
    static void scale(float[] x, int xo, int n, float f) {
        FloatVector vf = FloatVector.broadcast(S, f);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, x, xo + i).mul(vf).intoArray(x, xo + i);
        }
        for (; i < n; i++) {
            x[xo + i] *= f;
        }
    }

    /** {@code y[i] += x[i]} for {@code i < n}. */
    static void add(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, y, yo + i).add(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += x[xo + i];
        }
    }

    /** @return {@code sum_i x[xo+i] * y[yo+i]} over {@code i < n} */
    static float dot(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= n; i += L) {
            acc = FloatVector.fromArray(S, x, xo + i).fma(FloatVector.fromArray(S, y, yo + i), acc);
        }
        float sum = VMath.sum(acc);
        for (; i < n; i++) {
            sum += x[xo + i] * y[yo + i];
        }
        return sum;
    }

    /**
     * The score gradient in place in {@code dp}: {@code dp[j] = scale * p[j] * (dp[j] - rowDot)} over a
     * row of {@code width} (a multiple of L). Dropout's factor is applied to {@code dp} before this.
     */
    static void scoreGrad(float[] p, float[] dp, int o, int width, float rowDot, float scale) {
        FloatVector vd = FloatVector.broadcast(S, rowDot);
        FloatVector vs = FloatVector.broadcast(S, scale);
        for (int j = 0; j < width; j += L) {
            FloatVector g = FloatVector.fromArray(S, dp, o + j).sub(vd).mul(FloatVector.fromArray(S, p, o + j));
            g.mul(vs).intoArray(dp, o + j);
        }
    }

    /**
     * Packs the transpose of rows {@code [j0, j0+n)} of a row-major {@code (rows, width)} matrix into
     * {@code dst (width, ld)} at {@code dOff}: {@code dst[dOff + d*ld + j] = src[so + (j0+j)*width + d]};
     * columns {@code [n, ld)} are zeroed so a full-width tile product reads zeros there.
     */
    static void transpose(float[] src, int so, int width, int j0, int n, float[] dst, int dOff, int ld) {
        int base = so + j0 * width;
        // Whole 16 x 16 tiles in registers; the edges (and other vector widths) element by element.
        int nt = Transpose16.AVAILABLE ? n & ~15 : 0;
        int wt = Transpose16.AVAILABLE ? width & ~15 : 0;
        for (int j = 0; j < nt; j += 16) {
            for (int d = 0; d < wt; d += 16) {
                Transpose16.transpose(src, base + j * width + d, width, dst, dOff + d * ld + j, ld);
            }
        }
        for (int d = 0; d < width; d++) {
            int row = dOff + d * ld;
            for (int j = d < wt ? nt : 0, sj = base + d + j * width; j < n; j++, sj += width) {
                dst[row + j] = src[sj];
            }
            for (int j = n; j < ld; j++) {
                dst[row + j] = 0f;
            }
        }
    }
}
