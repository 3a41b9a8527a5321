package dev.sequor.backend.simd;

import dev.sequor.spi.AttentionBias;
import dev.sequor.spi.AttentionSpec;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.CounterRng;

import java.util.Arrays;

/**
 * Scaled-dot-product attention forward and backward without the {@code (L, S)} score matrix
 * (Dao et al. 2022, FlashAttention; Dao 2023, FlashAttention-2): the meaning is that of
 * {@link dev.sequor.spi.Backend#attentionForward} and {@link dev.sequor.spi.Backend#attentionBackward}.
 *
 * <p>Forward, per block of {@link #BR} query rows, streams over blocks of {@link #BC} keys with an
 * online softmax: {@code m_new = max(m, rowmax(S_blk))}, {@code l = l e^(m - m_new) + rowsum(e^(S_blk - m_new))},
 * {@code O = O e^(m - m_new) + e^(S_blk - m_new) D_blk V_blk}, and at the end {@code O /= l},
 * {@code lse = m + log l}. Backward, per block of keys, streams over query blocks and rebuilds
 * {@code P = exp(S - lse)} one tile at a time, accumulating {@code dV, dK} for its keys and {@code dQ}
 * for the queries. Working memory is one score tile or three per thread plus packed copies of
 * {@code K^T} (and {@code V^T}): linear in the sequence lengths.
 *
 * <p>A window ({@link AttentionSpec#keyStart}, {@link AttentionSpec#keyEnd}) bounds both loops: a
 * forward query block visits only the key blocks of {@code [keyStart(i0), keyEnd(i0 + BR - 1))} (and
 * packs only those keys), a backward key block only the query blocks whose windows reach it, and each
 * row's scores outside its own range are -Inf. So a window of {@code w} keys costs
 * {@code O(L (w + BR + BC) E)} time per problem and {@code O((w + BR + BC) E)} working memory per
 * thread, whatever S is; global attention is the window {@code [0, S)} (causal: {@code [0, i + S - L]}).
 *
 * <p>Work is split over {@code (problem, block group)} pairs on the backend's {@link WorkerPool}.
 * Dropout redraws the default's mask from {@link CounterRng} with the same counters.
 */
final class SimdFlashAttention {

    /** Query rows per block. */
    static final int BR = 64;
    /** Keys per block; a multiple of {@link FlashTiles#NR} so score tiles are whole register tiles. */
    static final int BC = Math.max(64, FlashTiles.NR);

    private SimdFlashAttention() {
    }

    /** Per-thread working memory, grown on demand and kept for the pool threads' lifetime. */
    private static final class Scratch {
        float[] p = new float[0];
        float[] pd = new float[0];
        float[] dp = new float[0];
        float[] kt = new float[0];
        float[] vt = new float[0];
        float[] rows = new float[0];
        float[] m = new float[BR];
        float[] l = new float[BR];

        static float[] grow(float[] a, int n) {
            return a.length >= n ? a : new float[n];
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** The arrays of one call, checked against the spec's sizes. */
    private record Operands(float[] q, float[] k, float[] v, float[] bias, long[] bs) {
    }

    private static Operands operands(SimdBackend be, String op, AttentionSpec sp, Buffer q, Buffer k, Buffer v,
                                    AttentionBias bias) {
        int bh = sp.problems();
        float[] qa = sized(be, q, (long) bh * sp.queries() * sp.headDim(), op, "q");
        float[] ka = sized(be, k, (long) bh * sp.keys() * sp.headDim(), op, "k");
        float[] va = sized(be, v, (long) bh * sp.keys() * sp.valueDim(), op, "v");
        if (bias == null) {
            return new Operands(qa, ka, va, null, null);
        }
        float[] ba = be.arr(bias.buffer(), op, "bias");
        long[] st = bias.strides();
        int[] shape = {sp.batch(), sp.heads(), sp.queries(), sp.keys()};
        long[] ext = Strided.extent(0, shape, st);
        if (ext[0] < 0 || ext[1] >= ba.length) {
            throw new IllegalArgumentException(op + ": bias strides " + Arrays.toString(st) + " over "
                    + Arrays.toString(shape) + " reach [" + ext[0] + ", " + ext[1] + "], outside its "
                    + ba.length + " elements");
        }
        return new Operands(qa, ka, va, ba, st);
    }

    static float[] sized(SimdBackend be, Buffer b, long n, String op, String what) {
        float[] d = be.arr(b, op, what);
        SimdBackend.range(d, 0, n, op, what);
        return d;
    }

    // ------------------------------------------------------------ forward

    /** See {@link dev.sequor.spi.Backend#attentionForward}. */
    static void forward(SimdBackend be, AttentionSpec sp, Buffer q, Buffer k, Buffer v, AttentionBias bias,
                        Buffer out, Buffer lse) {
        String op = "attentionForward";
        Operands in = operands(be, op, sp, q, k, v, bias);
        float[] o = sized(be, out, (long) sp.problems() * sp.queries() * sp.valueDim(), op, "out");
        float[] lsa = sized(be, lse, (long) sp.problems() * sp.queries(), op, "lse");
        int blocks = ceilDiv(sp.queries(), BR);
        int split = split(be, sp.problems(), blocks);
        be.pool().run(sp.problems() * split, part -> {
            int bh = part / split;
            forwardProblem(sp, in, o, lsa, bh, part % split, split);
        });
    }

    /** Query blocks {@code g, g + groups, ...} of problem {@code bh}; interleaved so causal work balances. */
    private static void forwardProblem(AttentionSpec sp, Operands in, float[] o, float[] lse, int bh, int g,
                                       int groups) {
        int l = sp.queries();
        int s = sp.keys();
        int e = sp.headDim();
        Scratch sc = SCRATCH.get();
        sc.p = Scratch.grow(sc.p, BR * BC);
        if (sp.windowed()) {
            // Each block packs only the keys its rows' windows reach: O(BR + window) keys, not S.
            for (int i0 = g * BR; i0 < l; i0 += groups * BR) {
                int rows = Math.min(BR, l - i0);
                int js = sp.keyStart(i0);
                int je = Math.max(js, sp.keyEnd(i0 + rows - 1));
                packKeys(in, bh, e, s, js, je, sc);
                forwardBlock(sp, in, o, lse, bh, i0, rows, js, je, sc);
            }
            return;
        }
        // Keys this group's last block needs: a causal group stops at its last row's diagonal.
        int lastBlock = g + (ceilDiv(l, BR) - 1 - g) / groups * groups;
        int need = Math.max(0, sp.keyEnd(Math.min(l, (lastBlock + 1) * BR) - 1));
        packKeys(in, bh, e, s, 0, need, sc);
        for (int blk = g; blk * BR < l; blk += groups) {
            int i0 = blk * BR;
            int rows = Math.min(BR, l - i0);
            forwardBlock(sp, in, o, lse, bh, i0, rows, 0, Math.max(0, sp.keyEnd(i0 + rows - 1)), sc);
        }
    }

    /**
     * K^T of keys {@code [js, je)} of problem {@code bh} as one contiguous {@code (E, BC)} panel per
     * block of BC keys from {@code js} (a long row stride would put every step of the tile product in
     * the same cache sets), zero past {@code je}.
     */
    private static void packKeys(Operands in, int bh, int e, int s, int js, int je, Scratch sc) {
        int keyBlocks = ceilDiv(je - js, BC);
        sc.kt = Scratch.grow(sc.kt, e * BC * keyBlocks);
        for (int kb = 0; kb < keyBlocks; kb++) {
            int j0 = js + kb * BC;
            FlashTiles.transpose(in.k, bh * s * e, e, j0, Math.min(BC, je - j0), sc.kt, kb * e * BC, BC);
        }
    }

    /**
     * Rows {@code [i0, i0+rows)} of problem {@code bh}: the online softmax over the key blocks of
     * {@code [js, je)}, which holds every row's window; {@code sc.kt} holds K^T of those keys from {@code js}.
     */
    private static void forwardBlock(AttentionSpec sp, Operands in, float[] o, float[] lse, int bh, int i0, int rows,
                                     int js, int je, Scratch sc) {
        int l = sp.queries();
        int s = sp.keys();
        int e = sp.headDim();
        int ev = sp.valueDim();
        int oo = (bh * l + i0) * ev;
        Arrays.fill(o, oo, oo + rows * ev, 0f);
        float[] m = sc.m;
        float[] sum = sc.l;
        Arrays.fill(m, 0, rows, Float.NEGATIVE_INFINITY);
        Arrays.fill(sum, 0, rows, 0f);
        float[] p = sc.p;
        long biasBase = biasBase(sp, in, bh);
        float keepScale = 1f / (1f - sp.dropout());
        for (int j0 = js; j0 < je; j0 += BC) {
            int bc = Math.min(BC, je - j0);
            // (rows, BC) = Q_blk (rows, E) @ K^T[:, j0 : j0 + BC]
            FlashTiles.mul(rows, BC, e, in.q, (bh * l + i0) * e, e, 1, sc.kt, (j0 - js) * e, BC, p, 0, BC, false);
            for (int r = 0; r < rows; r++) {
                int i = i0 + r;
                // this row's visible keys within the tile: [a, b)
                int a = Math.max(0, sp.keyStart(i) - j0);
                int b = Math.min(bc, sp.keyEnd(i) - j0);
                int po = r * BC;
                if (b <= a) {
                    Arrays.fill(p, po, po + BC, 0f);
                    continue;
                }
                float mx = rowScores(sp, in, biasBase, i, j0, p, po, a, b);
                float mNew = Math.max(m[r], mx);
                if (mNew == Float.NEGATIVE_INFINITY) {
                    Arrays.fill(p, po, po + BC, 0f);
                    continue;
                }
                float rowSum = FlashTiles.exp(p, po, BC, mNew);
                float alpha = (float) StrictMath.exp(m[r] - mNew);
                if (alpha != 1f) {
                    FlashTiles.scale(o, oo + r * ev, ev, alpha);
                }
                sum[r] = sum[r] * alpha + rowSum;
                m[r] = mNew;
                if (sp.dropout() > 0f) {
                    dropRow(sp, bh, i, j0 + a, b - a, p, po + a, keepScale);
                }
            }
            // O_blk (rows, Ev) += P (rows, bc) @ V[j0 : j0 + bc]
            FlashTiles.mul(rows, ev, bc, p, 0, BC, 1, in.v, (bh * s + j0) * ev, ev, o, oo, ev, true);
        }
        for (int r = 0; r < rows; r++) {
            int li = bh * l + i0 + r;
            if (sum[r] == 0f) {
                Arrays.fill(o, oo + r * ev, oo + (r + 1) * ev, 0f);
                lse[li] = Float.NEGATIVE_INFINITY;
            } else {
                FlashTiles.scale(o, oo + r * ev, ev, 1f / sum[r]);
                lse[li] = m[r] + (float) StrictMath.log(sum[r]);
            }
        }
    }

    /**
     * Scores of row {@code i} against keys {@code [j0+a, j0+b)} in place in {@code p[po+a..po+b)}; the
     * rest of the {@link #BC}-wide row -Inf.
     *
     * @return the row maximum
     */
    private static float rowScores(AttentionSpec sp, Operands in, long biasBase, int i, int j0, float[] p, int po,
                                   int a, int b) {
        Arrays.fill(p, po, po + a, Float.NEGATIVE_INFINITY);
        if (in.bias == null) {
            return FlashTiles.scores(p, po + a, b - a, BC - a, sp.scale(), null, 0, 0);
        }
        long bo = biasBase + i * in.bs[2] + (j0 + a) * in.bs[3];
        return FlashTiles.scores(p, po + a, b - a, BC - a, sp.scale(), in.bias, bo, in.bs[3]);
    }

    private static long biasBase(AttentionSpec sp, Operands in, int bh) {
        return in.bias == null ? 0 : (bh / sp.heads()) * in.bs[0] + (bh % sp.heads()) * in.bs[1];
    }

    /** {@code p[j] *= d(bh, i, j0 + j)} for {@code j < n}: the default's keep mask, drawn again. */
    static void dropRow(AttentionSpec sp, int bh, int i, int j0, int n, float[] p, int po, float keepScale) {
        float keep = 1f - sp.dropout();
        long base = ((long) bh * sp.queries() + i) * sp.keys() + j0;
        for (int j = 0; j < n; j++) {
            p[po + j] = CounterRng.uniform(sp.seed(), base + j) < keep ? p[po + j] * keepScale : 0f;
        }
    }

    // ------------------------------------------------------------ backward

    /** See {@link dev.sequor.spi.Backend#attentionBackward}. */
    static void backward(SimdBackend be, AttentionSpec sp, Buffer q, Buffer k, Buffer v, AttentionBias bias,
                         Buffer out, Buffer lse, Buffer gradOut, Buffer gradQ, Buffer gradK, Buffer gradV) {
        String op = "attentionBackward";
        Operands in = operands(be, op, sp, q, k, v, bias);
        int bh = sp.problems();
        long rowsO = (long) bh * sp.queries() * sp.valueDim();
        Grads gr = new Grads(sized(be, out, rowsO, op, "out"), sized(be, lse, (long) bh * sp.queries(), op, "lse"),
                sized(be, gradOut, rowsO, op, "gradOut"),
                sized(be, gradQ, (long) bh * sp.queries() * sp.headDim(), op, "gradQ"),
                sized(be, gradK, (long) bh * sp.keys() * sp.headDim(), op, "gradK"),
                sized(be, gradV, (long) bh * sp.keys() * sp.valueDim(), op, "gradV"));
        int split = split(be, bh, ceilDiv(sp.keys(), BC));
        int lq = sp.queries() * sp.headDim();
        // With several key groups per problem each accumulates its own dQ; summed below.
        float[] partial = split > 1 ? new float[bh * split * lq] : null;
        be.pool().run(bh * split, part -> backwardProblem(sp, in, gr, part / split, part % split, split, partial));
        if (partial != null) {
            be.pool().run(bh, b -> {
                int dst = b * lq;
                System.arraycopy(partial, b * split * lq, gr.gq, dst, lq);
                for (int g = 1; g < split; g++) {
                    FlashTiles.add(partial, (b * split + g) * lq, gr.gq, dst, lq);
                }
            });
        }
    }

    /** The backward's arrays: the forward's output and lse, the output gradient, and the three results. */
    private record Grads(float[] o, float[] lse, float[] go, float[] gq, float[] gk, float[] gv) {
    }

    /** Key blocks {@code g, g + groups, ...} of problem {@code bh}, each against every query block that sees it. */
    private static void backwardProblem(AttentionSpec sp, Operands in, Grads gr, int bh, int g, int groups,
                                        float[] partial) {
        int l = sp.queries();
        int e = sp.headDim();
        int ev = sp.valueDim();
        Scratch sc = SCRATCH.get();
        sc.rows = Scratch.grow(sc.rows, l);
        sc.kt = Scratch.grow(sc.kt, e * BC);
        sc.vt = Scratch.grow(sc.vt, ev * BC);
        sc.p = Scratch.grow(sc.p, BR * BC);
        sc.dp = Scratch.grow(sc.dp, BR * BC);
        if (sp.dropout() > 0f) {
            sc.pd = Scratch.grow(sc.pd, BR * BC);
        }
        // D_i = g_i . o_i
        for (int i = 0; i < l; i++) {
            int ro = (bh * l + i) * ev;
            sc.rows[i] = FlashTiles.dot(gr.go, ro, gr.o, ro, ev);
        }
        float[] dq = partial == null ? gr.gq : partial;
        int dqo = partial == null ? bh * l * e : (bh * groups + g) * l * e;
        if (partial == null) {
            Arrays.fill(dq, dqo, dqo + l * e, 0f);
        }
        for (int j0 = g * BC; j0 < sp.keys(); j0 += groups * BC) {
            backwardKeyBlock(sp, in, gr, bh, j0, sc, dq, dqo);
        }
    }

    /**
     * Keys {@code [j0, j0 + BC)} of problem {@code bh}: their dK and dV, and their share of dQ, from the
     * query blocks of the queries that see one of them (a window's worth under a window, not L).
     */
    private static void backwardKeyBlock(AttentionSpec sp, Operands in, Grads gr, int bh, int j0, Scratch sc,
                                         float[] dq, int dqo) {
        int l = sp.queries();
        int s = sp.keys();
        int e = sp.headDim();
        int ev = sp.valueDim();
        int bc = Math.min(BC, s - j0);
        int ko = (bh * s + j0) * e;
        int vo = (bh * s + j0) * ev;
        FlashTiles.transpose(in.k, bh * s * e, e, j0, bc, sc.kt, 0, BC); // (E, BC)
        FlashTiles.transpose(in.v, bh * s * ev, ev, j0, bc, sc.vt, 0, BC); // (Ev, BC)
        Arrays.fill(gr.gk, ko, ko + bc * e, 0f);
        Arrays.fill(gr.gv, vo, vo + bc * ev, 0f);
        long biasBase = biasBase(sp, in, bh);
        float keepScale = 1f / (1f - sp.dropout());
        float[] p = sc.p;
        float[] dp = sc.dp;
        float[] pd = sp.dropout() > 0f ? sc.pd : p;
        int first = firstSeeing(sp, j0);
        int past = firstPast(sp, j0 + bc - 1);
        for (int i0 = first; i0 < past; i0 += BR) {
            int rows = Math.min(BR, past - i0);
            int qo = (bh * l + i0) * e;
            int go = (bh * l + i0) * ev;
            // P (rows, BC) = exp(scale Q_blk K_blk^T + bias - lse)
            FlashTiles.mul(rows, BC, e, in.q, qo, e, 1, sc.kt, 0, BC, p, 0, BC, false);
            for (int r = 0; r < rows; r++) {
                int i = i0 + r;
                float li = gr.lse[bh * l + i];
                int a = Math.max(0, sp.keyStart(i) - j0);
                int b = Math.min(bc, sp.keyEnd(i) - j0);
                int po = r * BC;
                if (b <= a || li == Float.NEGATIVE_INFINITY) {
                    Arrays.fill(p, po, po + BC, 0f);
                } else {
                    rowScores(sp, in, biasBase, i, j0, p, po, a, b);
                    FlashTiles.exp(p, po, BC, li);
                }
                if (pd != p) {
                    System.arraycopy(p, po, pd, po, BC);
                    if (b > a) {
                        dropRow(sp, bh, i, j0 + a, b - a, pd, po + a, keepScale);
                    }
                }
            }
            // dV_blk (bc, Ev) += (P D)^T (bc, rows) @ dO_blk (rows, Ev)
            FlashTiles.mul(bc, ev, rows, pd, 0, 1, BC, gr.go, go, ev, gr.gv, vo, ev, true);
            // dP (rows, BC) = dO_blk (rows, Ev) @ V_blk^T (Ev, BC)
            FlashTiles.mul(rows, BC, ev, gr.go, go, ev, 1, sc.vt, 0, BC, dp, 0, BC, false);
            for (int r = 0; r < rows; r++) {
                int i = i0 + r;
                if (pd != p) {
                    // outside [a, b) p is 0, so dS is 0 whatever dP holds there
                    int a = Math.max(0, sp.keyStart(i) - j0);
                    int b = Math.min(bc, sp.keyEnd(i) - j0);
                    if (b > a) {
                        dropRow(sp, bh, i, j0 + a, b - a, dp, r * BC + a, keepScale);
                    }
                }
                FlashTiles.scoreGrad(p, dp, r * BC, BC, sc.rows[i], sp.scale());
            }
            // dQ_blk (rows, E) += dS (rows, bc) @ K_blk (bc, E)
            FlashTiles.mul(rows, e, bc, dp, 0, BC, 1, in.k, ko, e, dq, dqo + i0 * e, e, true);
            // dK_blk (bc, E) += dS^T (bc, rows) @ Q_blk (rows, E)
            FlashTiles.mul(bc, e, rows, dp, 0, 1, BC, in.q, qo, e, gr.gk, ko, e, true);
        }
    }

    /** @return the first query whose window ends after key {@code j} ({@code keyEnd(i) > j}), or L */
    static int firstSeeing(AttentionSpec sp, int j) {
        int lo = 0;
        int hi = sp.queries();
        while (lo < hi) {   // keyEnd is nondecreasing in i
            int mid = (lo + hi) >>> 1;
            if (sp.keyEnd(mid) > j) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** @return the first query whose window starts after key {@code j} ({@code keyStart(i) > j}), or L */
    static int firstPast(AttentionSpec sp, int j) {
        int lo = 0;
        int hi = sp.queries();
        while (lo < hi) {   // keyStart is nondecreasing in i
            int mid = (lo + hi) >>> 1;
            if (sp.keyStart(mid) > j) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    // ------------------------------------------------------------ helpers

    /**
     * Groups per problem: enough parts that every thread gets several (so a slow core or a causal
     * triangle balances), but no more than there are blocks, since each group repacks its operands.
     */
    static int split(SimdBackend be, int problems, int blocks) {
        int want = ceilDiv(4 * be.pool().size(), problems);
        return Math.max(1, Math.min(blocks, want));
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static int clamp(int x, int lo, int hi) {
        return Math.max(lo, Math.min(hi, x));
    }
}
