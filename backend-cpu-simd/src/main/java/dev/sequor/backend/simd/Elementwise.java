package dev.sequor.backend.simd;

import dev.sequor.spi.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

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

    static void copyStrided(SimdPrimitives be, float[] s, long so, long[] ss, float[] d, long dOff, long[] ds, int[] shape) {
        Strided.Layout l = Strided.collapse(shape, ss, ds);
        if (l.count() == 0) {
            return;
        }
        long[] origin = {so, dOff};
        int r = l.rank();
        if (r >= 2 && l.strides()[1][r - 1] == 1 && l.strides()[0][r - 2] == 1 && l.strides()[0][r - 1] != 1
                && l.shape()[r - 1] >= 8 && l.shape()[r - 2] >= 8) {
            transposeTiles(be, l, s, so, d, dOff);
            return;
        }
        be.forRange(l.count(), (f, t) -> Strided.forRuns(l, origin, f, t, (base, st, len) -> {
            int sp = (int) base[0];
            int dp = (int) base[1];
            long sst = st[0];
            long dst = st[1];
            if (sst == 1 && dst == 1) {
                System.arraycopy(s, sp, d, dp, len);
            } else if (sst == 0 && dst == 1) {
                Arrays.fill(d, dp, dp + len, s[sp]);
            } else {
                for (int i = 0; i < len; i++) {
                    d[(int) (dp + i * dst)] = s[(int) (sp + i * sst)];
                }
            }
        }));
    }

    /** Tile edge of the blocked transpose: 32 source lines and 32 destination lines stay in L1. */
    private static final int TILE = 32;

    /**
     * The last two dimensions swap contiguity (a transpose): copy 32x32 tiles, so both sides
     * touch whole cache lines instead of one element per line on the strided side.
     */
    private static void transposeTiles(SimdPrimitives be, Strided.Layout l, float[] s, long so, float[] d, long dOff) {
        int r = l.rank();
        int rows = l.shape()[r - 2];
        int cols = l.shape()[r - 1];
        long srcColStride = l.strides()[0][r - 1];
        long dstRowStride = l.strides()[1][r - 2];
        int rowTiles = (rows + TILE - 1) / TILE;
        long outer = l.count() / ((long) rows * cols);
        // Element offsets of each outer index come from the run iterator over the outer dims only.
        int[] outerShape = Arrays.copyOf(l.shape(), r - 2);
        Strided.Layout ol = new Strided.Layout(outerShape.length == 0 ? new int[] {1} : outerShape,
                new long[][] {outerShape.length == 0 ? new long[] {0} : Arrays.copyOf(l.strides()[0], r - 2),
                    outerShape.length == 0 ? new long[] {0} : Arrays.copyOf(l.strides()[1], r - 2)}, outer);
        long tiles = outer * rowTiles;
        int parts = (int) Math.min(Math.min(4L * be.pool().size(), tiles), Math.max(1, l.count() / SimdPrimitives.PARALLEL_MIN));
        WorkerPool.Task task = p -> {
            for (long tile = tiles * p / parts; tile < tiles * (p + 1) / parts; tile++) {
                copyTileRow(ol, tile, rowTiles, rows, cols, srcColStride, dstRowStride, s, so, d, dOff);
            }
        };
        if (parts <= 1) {
            task.run(0);
        } else {
            be.pool().run(parts, task);
        }
    }

    private static void copyTileRow(Strided.Layout ol, long tile, int rowTiles, int rows, int cols, long srcColStride,
                                    long dstRowStride, float[] s, long so, float[] d, long dOff) {
        long o = tile / rowTiles;
        int r0 = (int) (tile - o * rowTiles) * TILE;
        int r1 = Math.min(rows, r0 + TILE);
        long[] base = new long[2];
        Strided.forRuns(ol, new long[] {so, dOff}, o, o + 1, (b, st, len) -> {
            base[0] = b[0];
            base[1] = b[1];
        });
        for (int c0 = 0; c0 < cols; c0 += TILE) {
            int c1 = Math.min(cols, c0 + TILE);
            for (int i = r0; i < r1; i++) {
                int dp = (int) (base[1] + i * dstRowStride);
                long sp = base[0] + i;
                for (int j = c0; j < c1; j++) {
                    d[dp + j] = s[(int) (sp + j * srcColStride)];
                }
            }
        }
    }

    static void binary(SimdPrimitives be, BinaryOp op, float[] a, long[] as, float[] b, long[] bs, float[] out, int[] shape) {
        Strided.Layout l = Strided.collapse(shape, as, bs, Strided.dense(shape));
        if (l.count() == 0) {
            return;
        }
        long[] origin = {0, 0, 0};
        be.forRange(l.count(), (f, t) -> Strided.forRuns(l, origin, f, t, (base, st, len) ->
                Binary.run(op, a, (int) base[0], st[0], b, (int) base[1], st[1], out, (int) base[2], st[2], len)));
    }

    static void where(SimdPrimitives be, float[] c, long[] cs, float[] a, long[] as, float[] b, long[] bs,
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
