package dev.sequor.backend.simd;

import dev.sequor.spi.Buffer;
import dev.sequor.spi.RecurrentDims;
import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static dev.sequor.backend.simd.GemmKernel.L;
import static dev.sequor.backend.simd.GemmKernel.NR;
import static dev.sequor.backend.simd.GemmKernel.S;

/**
 * The whole-sequence GRU on cpu-simd (maths and buffer contract: {@code Backend#gruSequenceForward}
 * and {@code #gruSequenceBackward}, gates r, z, n, reset applied to {@code W_hn h + b_hn}). Built as
 * {@link SimdLstm}: {@code W_hh} packed once, the batch split into parts of a few rows that each run
 * every step (recurrent GEMM, then the fused gate kernel) with no barrier. The backward adds
 * {@code dp_t W_hh} to {@code dh_t z} and keeps {@code dp} of every step for {@code dW_hh} and
 * {@code db_hh} at the end.
 */
final class SimdGru {

    private static final int G = 3;

    private SimdGru() {
    }

    static void forward(SimdBackend be, RecurrentDims d, Buffer xProjB, Buffer wHhB, Buffer bHhB, Buffer h0B,
                        Buffer outB, Buffer hNB, Buffer gatesB, Buffer hiddenNB) {
        String op = "gruSequenceForward";
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        long bth = (long) b * t * h;
        float[] xProj = SimdRecurrent.array(be, xProjB, G * bth, op, "xProj", false);
        SimdRecurrent.readArray(be, wHhB, (long) G * h * h, op, "wHh");   // its length; packed below
        float[] bias = SimdRecurrent.array(be, bHhB, (long) G * h, op, "bHh", false);
        float[] h0 = SimdRecurrent.array(be, h0B, (long) b * h, op, "h0", false);
        float[] out = SimdRecurrent.array(be, outB, bth, op, "out", false);
        float[] hN = SimdRecurrent.array(be, hNB, (long) b * h, op, "hN", false);
        float[] gates = SimdRecurrent.array(be, gatesB, G * bth, op, "gates", false);
        float[] hidN = SimdRecurrent.array(be, hiddenNB, bth, op, "hiddenN", false);
        WorkerPool pool = be.pool();
        int hp = SimdRecurrent.paddedHidden(h);
        int blocks = hp / NR;
        float[] packed = SimdRecurrent.packedGateMajor(be, wHhB, h, G, op);
        int ld = SimdRecurrent.rowStride(h);
        int slot = b * ld;
        Workspace ws = be.workspace();
        float[] hs = ws.floats((t + 1) * slot);       // (T+1, B, ld): slot s is the state before visited step s
        SimdRecurrent.copyRows(h0, 0, h, hs, 0, ld, b, h);
        int ldp = G * hp;
        SimdRecurrent.forRowParts(pool, b, (r0, r1) -> {
            float[] pre = SimdRecurrent.scratch((r1 - r0) * ldp);
            for (int s = 0; s < t; s++) {
                RecurrentGemm.multiply(r1 - r0, hs, s * slot + r0 * ld, ld, packed, h, blocks * G, 0, blocks * G,
                        pre, 0, ldp, false);
                cellForward(d, d.time(s), r0, r1, blocks, xProj, pre, ldp, bias, hs, s * slot, ld, out, gates, hidN);
            }
        });
        SimdRecurrent.copyRows(hs, t * slot, ld, hN, 0, h, b, h);
        ws.give(hs);
    }

    /**
     * The gate kernel of step t for rows {@code [r0, r1)}: the state is read at {@code hs[so0..]}
     * (rows {@code ld} apart) and written {@code B*ld} further.
     */
    private static void cellForward(RecurrentDims d, int t, int r0, int r1, int blocks, float[] xProj, float[] pre,
                                    int ldp, float[] bias, float[] hs, int so0, int ld, float[] out, float[] gates,
                                    float[] hidN) {
        int b = d.batch();
        int steps = d.steps();
        int h = d.hidden();
        for (int r = r0; r < r1; r++) {
            int xo = (r * steps + t) * G * h;
            int so = (r * steps + t) * h;
            int ro = so0 + r * ld;
            int rn = ro + b * ld;
            int po = (r - r0) * ldp;
            if (!d.active(r, t)) {
                Arrays.fill(gates, xo, xo + G * h, 0f);
                Arrays.fill(out, so, so + h, 0f);
                Arrays.fill(hidN, so, so + h, 0f);
                System.arraycopy(hs, ro, hs, rn, h);
                continue;
            }
            // Pre-activations first, then each activation over its whole run: one transcendental
            // per loop (several in one loop were boxed, see VMath and SimdLstm.cellForward)
            int col = 0;
            for (; col + L <= h; col += L) {
                int pi = po + col / NR * G * NR + col % NR;     // a vector never crosses a block
                FloatVector.fromArray(S, pre, pi).add(FloatVector.fromArray(S, bias, col))
                        .add(FloatVector.fromArray(S, xProj, xo + col)).intoArray(gates, xo + col);
                FloatVector.fromArray(S, pre, pi + NR).add(FloatVector.fromArray(S, bias, h + col))
                        .add(FloatVector.fromArray(S, xProj, xo + h + col)).intoArray(gates, xo + h + col);
                FloatVector.fromArray(S, pre, pi + 2 * NR).add(FloatVector.fromArray(S, bias, 2 * h + col))
                        .intoArray(hidN, so + col);
            }
            for (; col < h; col++) {
                int pi = po + col / NR * G * NR + col % NR;
                gates[xo + col] = pre[pi] + bias[col] + xProj[xo + col];
                gates[xo + h + col] = pre[pi + NR] + bias[h + col] + xProj[xo + h + col];
                hidN[so + col] = pre[pi + 2 * NR] + bias[2 * h + col];
            }
            VMath.sigmoid(gates, xo, gates, xo, 2 * h);                             // r, z
            int no = xo + 2 * h;
            col = 0;
            for (; col + L <= h; col += L) {
                FloatVector rg = FloatVector.fromArray(S, gates, xo + col);
                rg.fma(FloatVector.fromArray(S, hidN, so + col), FloatVector.fromArray(S, xProj, no + col))
                        .intoArray(gates, no + col);
            }
            for (; col < h; col++) {
                gates[no + col] = Math.fma(gates[xo + col], hidN[so + col], xProj[no + col]);
            }
            VMath.tanh(gates, no, gates, no, h);                                    // n
            col = 0;
            for (; col + L <= h; col += L) {
                FloatVector z = FloatVector.fromArray(S, gates, xo + h + col);
                FloatVector n = FloatVector.fromArray(S, gates, no + col);
                FloatVector ht = z.fma(FloatVector.fromArray(S, hs, ro + col).sub(n), n);   // n + z (h - n)
                ht.intoArray(out, so + col);
                ht.intoArray(hs, rn + col);
            }
            for (; col < h; col++) {
                float n = gates[no + col];
                float ht = Math.fma(gates[xo + h + col], hs[ro + col] - n, n);
                out[so + col] = ht;
                hs[rn + col] = ht;
            }
        }
    }

    static void backward(SimdBackend be, RecurrentDims d, Buffer wHhB, Buffer h0B, Buffer outB, Buffer gatesB,
                         Buffer hiddenNB, Buffer gradOutB, Buffer gradHNB, Buffer gradXProjB,
                         Buffer gradWhhB, Buffer gradBhhB, Buffer gradH0B) {
        String op = "gruSequenceBackward";
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        long bth = (long) b * t * h;
        float[] w = SimdRecurrent.array(be, wHhB, (long) G * h * h, op, "wHh", false);
        float[] h0 = SimdRecurrent.array(be, h0B, (long) b * h, op, "h0", false);
        float[] out = SimdRecurrent.array(be, outB, bth, op, "out", false);
        float[] gates = SimdRecurrent.array(be, gatesB, G * bth, op, "gates", false);
        float[] hidN = SimdRecurrent.array(be, hiddenNB, bth, op, "hiddenN", false);
        float[] gradOut = SimdRecurrent.array(be, gradOutB, bth, op, "gradOut", true);
        float[] gradHN = SimdRecurrent.array(be, gradHNB, (long) b * h, op, "gradHN", true);
        float[] gradX = SimdRecurrent.array(be, gradXProjB, G * bth, op, "gradXProj", false);
        float[] gradW = SimdRecurrent.array(be, gradWhhB, (long) G * h * h, op, "gradWhh", false);
        float[] gradB = SimdRecurrent.array(be, gradBhhB, (long) G * h, op, "gradBhh", false);
        float[] gradH0 = SimdRecurrent.array(be, gradH0B, (long) b * h, op, "gradH0", true);
        WorkerPool pool = be.pool();
        int hp = SimdRecurrent.paddedHidden(h);
        int blocks = hp / NR;
        PackedB packed = PackedB.pack(w, 0, h, false, G * h, h, null, pool);
        Workspace ws = be.workspace();
        float[] dp = ws.floats((int) (G * bth));      // (B, T, 3H): dL/d(h W_hh^T + b_hh) of every step
        int bhp = b * hp;
        float[] gh = ws.floats((t + 1) * bhp);        // slot s+1: dL/dh after visited step s (see SimdLstm)
        SimdRecurrent.toPadded(gradHN, b, h, gh, t * bhp, hp);
        int lda = SimdRecurrent.rowStride(G * h);
        float[] dpc = ws.floats(t * b * lda);         // dp of visited step s in slot s: the step GEMM's operand
        SimdRecurrent.forRowParts(pool, b, (r0, r1) -> {
            float[] prod = SimdRecurrent.scratch((r1 - r0) * hp);
            for (int s = t - 1; s >= -1; s--) {
                if (s < t - 1) {
                    RecurrentGemm.multiply(r1 - r0, dpc, ((s + 1) * b + r0) * lda, lda, packed.data, G * h, blocks, 0,
                            blocks, prod, 0, hp, false);
                    SimdRecurrent.carry(d, d.time(s + 1), r0, r1, hp, prod, hp, gh, (s + 1) * bhp, gradOut, gates);
                }
                if (s >= 0) {
                    cellBackward(d, s, r0, r1, hp, h0, out, gates, hidN, gradOut, gh, (s + 1) * bhp, gradX,
                            dp, dpc, lda);
                }
            }
        });
        float[] prev = SimdRecurrent.previousStates(d, out, h0, ws.floats(b * t * h), pool);
        Gemm.gemm(true, false, G * h, h, b * t, 1f, dp, 0, G * h, prev, 0, h, 0f, gradW, 0, h, pool);
        columnSums(dp, b * t, G * h, gradB);
        SimdRecurrent.fromPadded(gh, 0, hp, gradH0, b, h);
        ws.give(dp);
        ws.give(gh);
        ws.give(dpc);
        ws.give(prev);
    }

    /**
     * The gate gradients of visited step {@code s} for rows {@code [r0, r1)}: writes
     * {@code [da_r, da_z, da_n]} to gradX and {@code [da_r, da_z, da_n r]} to dp, reading dL/dh after
     * the step at {@code gh[go..]}; the {@code dh_t z} path to the previous state is added by
     * {@link SimdRecurrent#carry} with the recurrent product.
     */
    private static void cellBackward(RecurrentDims d, int s, int r0, int r1, int hp, float[] h0, float[] out,
                                     float[] gates, float[] hidN, float[] gradOut, float[] gh, int go,
                                     float[] gradX, float[] dp, float[] dpc, int lda) {
        int b = d.batch();
        int steps = d.steps();
        int h = d.hidden();
        int t = d.time(s);
        int tp = s > 0 ? d.time(s - 1) : -1;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int r = r0; r < r1; r++) {
            int xo = (r * steps + t) * G * h;
            int so = (r * steps + t) * h;
            int co = (s * b + r) * lda;
            int gho = go + r * hp;
            if (!d.active(r, t)) {
                Arrays.fill(gradX, xo, xo + G * h, 0f);
                Arrays.fill(dp, xo, xo + G * h, 0f);
                Arrays.fill(dpc, co, co + G * h, 0f);
                continue;
            }
            boolean prevActive = tp >= 0 && d.active(r, tp);
            float[] hprev = prevActive ? out : h0;
            int hpo = prevActive ? (r * steps + tp) * h : r * h;
            int col = 0;
            for (; col + L <= h; col += L) {
                FloatVector dhT = FloatVector.fromArray(S, gh, gho + col);
                if (gradOut != null) {
                    dhT = dhT.add(FloatVector.fromArray(S, gradOut, so + col));
                }
                FloatVector rg = FloatVector.fromArray(S, gates, xo + col);
                FloatVector z = FloatVector.fromArray(S, gates, xo + h + col);
                FloatVector n = FloatVector.fromArray(S, gates, xo + 2 * h + col);
                FloatVector pn = FloatVector.fromArray(S, hidN, so + col);
                FloatVector dan = dhT.mul(one.sub(z)).mul(one.sub(n.mul(n)));
                FloatVector daz = dhT.mul(FloatVector.fromArray(S, hprev, hpo + col).sub(n)).mul(z.mul(one.sub(z)));
                FloatVector dar = dan.mul(pn).mul(rg.mul(one.sub(rg)));
                FloatVector dpn = dan.mul(rg);
                dar.intoArray(gradX, xo + col);
                daz.intoArray(gradX, xo + h + col);
                dan.intoArray(gradX, xo + 2 * h + col);
                dar.intoArray(dp, xo + col);
                daz.intoArray(dp, xo + h + col);
                dpn.intoArray(dp, xo + 2 * h + col);
                dar.intoArray(dpc, co + col);
                daz.intoArray(dpc, co + h + col);
                dpn.intoArray(dpc, co + 2 * h + col);
            }
            for (; col < h; col++) {
                float dhT = gh[gho + col] + (gradOut != null ? gradOut[so + col] : 0f);
                float rg = gates[xo + col];
                float z = gates[xo + h + col];
                float n = gates[xo + 2 * h + col];
                float pn = hidN[so + col];
                float dan = dhT * (1f - z) * (1f - n * n);
                float daz = dhT * (hprev[hpo + col] - n) * (z * (1f - z));
                float dar = dan * pn * (rg * (1f - rg));
                float dpn = dan * rg;
                gradX[xo + col] = dar;
                gradX[xo + h + col] = daz;
                gradX[xo + 2 * h + col] = dan;
                dp[xo + col] = dar;
                dp[xo + h + col] = daz;
                dp[xo + 2 * h + col] = dpn;
                dpc[co + col] = dar;
                dpc[co + h + col] = daz;
                dpc[co + 2 * h + col] = dpn;
            }
        }
    }

    /** {@code sums[j] = sum_i x[i*n + j]} over {@code rows} rows. */
    private static void columnSums(float[] x, int rows, int n, float[] sums) {
        Arrays.fill(sums, 0, n, 0f);
        int bound = S.loopBound(n);
        for (int i = 0; i < rows; i++) {
            int row = i * n;
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(S, x, row + j).add(FloatVector.fromArray(S, sums, j)).intoArray(sums, j);
            }
            for (; j < n; j++) {
                sums[j] += x[row + j];
            }
        }
    }
}
