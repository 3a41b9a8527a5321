package dev.sequor.backend.simd;

import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.sequor.backend.simd.Fixtures.REF;
import static dev.sequor.backend.simd.Fixtures.SIMD;

/** Elementwise and strided ops against the reference backend (double evaluation, one rounding). */
class ElementwiseTest {

    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        1e-30f, -1e-30f, 1e-7f, -1e-7f, 0.5f, -0.5f, 3f, -3f, 9.5f, -9.5f, 20f, -20f, 88f, -88f, 89f, -104f, 1e30f};

    private static float[] inputs(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double scale = switch (i % 4) {
                case 0 -> 1;
                case 1 -> 10;
                case 2 -> 1e-3;
                default -> 100;
            };
            x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        System.arraycopy(SPECIAL, 0, x, 0, Math.min(n, SPECIAL.length));
        return x;
    }

    private static float[] unary(Backend be, UnaryOp op, float[] x, boolean inPlace) {
        Buffer xb = Fixtures.upload(be, x);
        Buffer ob = inPlace ? xb : be.allocate(x.length + 3);
        be.unary(op, xb, 0, ob, inPlace ? 0 : 3, x.length);
        float[] all = Fixtures.download(be, ob);
        xb.close();
        ob.close();
        return Arrays.copyOfRange(all, inPlace ? 0 : 3, all.length);
    }

    @Test
    void everyUnaryOpMatchesTheReference() {
        // Odd length and more than the parallel threshold, so vector bodies, tails and parts all run.
        for (int n : new int[] {37, 70_001}) {
            float[] x = inputs(n, n);
            for (UnaryOp op : UnaryOp.values()) {
                float[] want = unary(REF, op, x, false);
                Fixtures.close(unary(SIMD, op, x, false), want, 3e-7, 1e-37, op + " n=" + n);
                Fixtures.close(unary(SIMD, op, x, true), want, 3e-7, 1e-37, op + " in place n=" + n);
            }
        }
    }

    private static float[] binary(Backend be, BinaryOp op, float[] a, long[] as, float[] b, long[] bs, int[] shape) {
        Buffer ab = Fixtures.upload(be, a);
        Buffer bb = Fixtures.upload(be, b);
        Buffer ob = be.allocate(Strided.count(shape));
        be.binary(op, ab, as, bb, bs, ob, shape);
        float[] out = Fixtures.download(be, ob);
        ab.close();
        bb.close();
        ob.close();
        return out;
    }

    @Test
    void everyBinaryOpAndBroadcastMatchesTheReference() {
        float[] a = inputs(5, 3 * 41 * 67);
        float[] b = inputs(6, 3 * 41 * 67);
        b[1] = Float.NaN;
        b[7] = a[7];
        int[] shape = {3, 41, 67};
        long[] dense = {41 * 67, 67, 1};
        long[][][] cases = {
            {dense, dense},                    // same shape
            {dense, {0, 0, 0}},                // scalar broadcast
            {dense, {0, 0, 1}},                // bias over the last dim
            {{0, 0, 1}, dense},                // broadcast on the left
            {dense, {67, 0, 1}},               // middle-dim broadcast
            {{1, 3, 3 * 41}, dense},           // a transposed view: the general strided path
        };
        for (BinaryOp op : BinaryOp.values()) {
            for (long[][] c : cases) {
                float[] want = binary(REF, op, a, c[0], b, c[1], shape);
                Fixtures.close(binary(SIMD, op, a, c[0], b, c[1], shape), want, 1e-7, 0,
                        op + " strides " + Arrays.toString(c[0]) + " " + Arrays.toString(c[1]));
            }
        }
        // A large contiguous case to run in parallel, and rank 0.
        float[] big = inputs(9, 100_000);
        float[] big2 = inputs(10, 100_000);
        int[] bigShape = {100_000};
        Fixtures.close(binary(SIMD, BinaryOp.MUL, big, new long[] {1}, big2, new long[] {1}, bigShape),
                binary(REF, BinaryOp.MUL, big, new long[] {1}, big2, new long[] {1}, bigShape), 0, 0, "big mul");
        Fixtures.close(binary(SIMD, BinaryOp.SUB, a, new long[0], b, new long[0], new int[0]),
                new float[] {a[0] - b[0]}, 0, 0, "rank 0");
    }

    @Test
    void scalarAffineWhereAndCopyStridedMatchTheReference() {
        float[] x = inputs(11, 50_003);
        for (BinaryOp op : BinaryOp.values()) {
            float[][] got = new float[2][];
            Backend[] bes = {SIMD, REF};
            for (int k = 0; k < 2; k++) {
                Buffer xb = Fixtures.upload(bes[k], x);
                bes[k].scalar(op, xb, 1.5f, xb, x.length);
                got[k] = Fixtures.download(bes[k], xb);
                xb.close();
            }
            Fixtures.close(got[0], got[1], 1e-7, 0, "scalar " + op);
        }
        float[][] aff = new float[2][];
        Backend[] bes = {SIMD, REF};
        for (int k = 0; k < 2; k++) {
            Buffer xb = Fixtures.upload(bes[k], x);
            Buffer ob = bes[k].allocate(x.length);
            bes[k].affine(xb, 0.75f, -2f, ob, x.length);
            aff[k] = Fixtures.download(bes[k], ob);
            xb.close();
            ob.close();
        }
        // One ulp: the fused form rounds once, the reference rounds in double and again to float.
        Fixtures.close(aff[0], aff[1], 1.2e-7, 1e-7, "affine");

        int[] shape = {4, 5, 6};
        float[] cond = inputs(12, 120);
        for (int i = 0; i < cond.length; i += 3) {
            cond[i] = 0;
        }
        cond[1] = Float.NaN;
        float[] a = inputs(13, 120);
        float[] fill = {-7f};
        float[][] wh = new float[2][];
        for (int k = 0; k < 2; k++) {
            Buffer cb = Fixtures.upload(bes[k], cond);
            Buffer ab = Fixtures.upload(bes[k], a);
            Buffer fb = Fixtures.upload(bes[k], fill);
            Buffer ob = bes[k].allocate(120);
            bes[k].where(cb, new long[] {30, 6, 1}, fb, new long[] {0, 0, 0}, ab, new long[] {1, 4, 20}, ob, shape);
            wh[k] = Fixtures.download(bes[k], ob);
            for (Buffer bu : new Buffer[] {cb, ab, fb, ob}) {
                bu.close();
            }
        }
        Fixtures.close(wh[0], wh[1], 0, 0, "where");

        int[][] shapes = {{7, 300, 5}, {2, 3, 4, 5}, {}, {100_000}, {257, 259}, {3, 70, 45}, {9, 40}};
        for (int[] sh : shapes) {
            int count = (int) Strided.count(sh);
            long[] dst = Strided.dense(sh);
            // Source strides: reversed dims (a permutation), plus a broadcast of the first dim.
            long[] src = new long[sh.length];
            long acc = 1;
            for (int d = 0; d < sh.length; d++) {
                src[d] = acc;
                acc *= sh[d];
            }
            float[] s = inputs(14, count + 2);
            float[][] cp = new float[2][];
            for (int k = 0; k < 2; k++) {
                Buffer sb = Fixtures.upload(bes[k], s);
                Buffer db = bes[k].allocate(count + 5);
                bes[k].copyStrided(sb, 2, src, db, 5, dst, sh);
                if (sh.length > 0) {
                    long[] bcast = src.clone();
                    bcast[sh.length - 1] = 0;
                    bes[k].copyStrided(sb, 1, bcast, db, 5, dst, sh);
                }
                cp[k] = Fixtures.download(bes[k], db);
                sb.close();
                db.close();
            }
            Fixtures.close(cp[0], cp[1], 0, 0, "copyStrided " + Arrays.toString(sh));
        }
        // A batch of transposes, (3, 45, 70) read as (3, 70, 45): the blocked-tile path.
        float[] s = inputs(15, 3 * 70 * 45);
        float[][] tr = new float[2][];
        for (int k = 0; k < 2; k++) {
            Buffer sb = Fixtures.upload(bes[k], s);
            Buffer db = bes[k].allocate(s.length);
            bes[k].copyStrided(sb, 0, new long[] {70 * 45, 1, 70}, db, 0, new long[] {70 * 45, 45, 1}, new int[] {3, 70, 45});
            tr[k] = Fixtures.download(bes[k], db);
            sb.close();
            db.close();
        }
        Fixtures.close(tr[0], tr[1], 0, 0, "batched transpose");
    }
}
