package dev.sequor.backend.simd;

import dev.sequor.spi.Buffer;
import dev.sequor.spi.RecurrentDims;
import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static dev.sequor.backend.simd.GemmKernel.L;
import static dev.sequor.backend.simd.GemmKernel.NR;
import static dev.sequor.backend.simd.GemmKernel.S;

/**
 * The whole-sequence LSTM on cpu-simd (maths and buffer contract: {@code Backend#lstmSequenceForward}
 * and {@code #lstmSequenceBackward}, gates i, f, g, o). {@code W_hh} is packed once per sequence.
 * The sequences of a batch never interact, so the batch is split into parts of a few rows and each
 * part runs its rows through every step (one pool hand-off per sequence, no barrier): per step one
 * GEMM of its rows' state by the packed weight into a gate buffer, then the fused vector gate
 * kernel. The backward mirrors it: per step, {@code dh = dA_{t+1} W_hh} for the part's rows, then the
 * gate gradients of step t; {@code dW_hh} is one GEMM over all steps at the end. The saved buffers
 * hold what the default stores (activated gates and {@code c_t}).
 */
final class SimdLstm {

    private static final int G = 4;

    private SimdLstm() {
    }

    static void forward(SimdBackend be, RecurrentDims d, Buffer xProjB, Buffer wHhB, Buffer h0B, Buffer c0B,
                        Buffer outB, Buffer hNB, Buffer cNB, Buffer gatesB, Buffer cellsB) {
        String op = "lstmSequenceForward";
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        long bth = (long) b * t * h;
        float[] xProj = SimdRecurrent.array(be, xProjB, G * bth, op, "xProj", false);
        SimdRecurrent.readArray(be, wHhB, (long) G * h * h, op, "wHh");   // its length; packed below
        float[] h0 = SimdRecurrent.array(be, h0B, (long) b * h, op, "h0", false);
        float[] c0 = SimdRecurrent.array(be, c0B, (long) b * h, op, "c0", false);
        float[] out = SimdRecurrent.array(be, outB, bth, op, "out", false);
        float[] hN = SimdRecurrent.array(be, hNB, (long) b * h, op, "hN", false);
        float[] cN = SimdRecurrent.array(be, cNB, (long) b * h, op, "cN", false);
        float[] gates = SimdRecurrent.array(be, gatesB, G * bth, op, "gates", false);
        float[] cells = SimdRecurrent.array(be, cellsB, bth, op, "cells", false);
        WorkerPool pool = be.pool();
        int hp = SimdRecurrent.paddedHidden(h);
        int blocks = hp / NR;
        float[] packed = SimdRecurrent.packedGateMajor(be, wHhB, h, G, op);
        // (T+1, B, ld): the state before visited step s is slot s
        int ld = SimdRecurrent.rowStride(h);
        int slot = b * ld;
        Workspace ws = be.workspace();
        float[] hs = ws.floats((t + 1) * slot);
        float[] cs = ws.floats((t + 1) * slot);
        SimdRecurrent.copyRows(h0, 0, h, hs, 0, ld, b, h);
        SimdRecurrent.copyRows(c0, 0, h, cs, 0, ld, b, h);
        int ldp = G * hp;
        SimdRecurrent.forRowParts(pool, b, (r0, r1) -> {
            float[] pre = SimdRecurrent.scratch((r1 - r0) * ldp);   // (rows, blocks, G, NR): h_{t-1} W_hh^T
            for (int s = 0; s < t; s++) {
                RecurrentGemm.multiply(r1 - r0, hs, s * slot + r0 * ld, ld, packed, h, blocks * G, 0, blocks * G,
                        pre, 0, ldp, false);
                cellForward(d, d.time(s), r0, r1, blocks, xProj, pre, ldp, hs, cs, s * slot, ld, out, gates, cells);
            }
        });
        SimdRecurrent.copyRows(hs, t * slot, ld, hN, 0, h, b, h);
        SimdRecurrent.copyRows(cs, t * slot, ld, cN, 0, h, b, h);
        // not in a finally: an array an exception keeps from coming back is only garbage
        ws.give(hs);
        ws.give(cs);
    }

    /**
     * The gate kernel of step {@code t} for rows {@code [r0, r1)}: reads the
     * state at {@code hs[so0..]}, {@code cs[so0..]} (rows {@code ld} apart) and writes the next one
     * {@code B*ld} further.
     */
    private static void cellForward(RecurrentDims d, int t, int r0, int r1, int blocks, float[] xProj, float[] pre,
                                    int ldp, float[] hs, float[] cs, int so0, int ld, float[] out, float[] gates,
                                    float[] cells) {
        int b = d.batch();
        int steps = d.steps();
        int h = d.hidden();
        for (int r = r0; r < r1; r++) {
            int xo = (r * steps + t) * G * h;     // xProj and gates
            int so = (r * steps + t) * h;         // out and cells
            int ro = so0 + r * ld;                // carried state; the next one is B*ld further
            int rn = ro + b * ld;
            int po = (r - r0) * ldp;
            if (!d.active(r, t)) {
                Arrays.fill(gates, xo, xo + G * h, 0f);
                Arrays.fill(out, so, so + h, 0f);
                Arrays.fill(cells, so, so + h, 0f);
                System.arraycopy(hs, ro, hs, rn, h);
                System.arraycopy(cs, ro, cs, rn, h);
                continue;
            }
            // Pre-activations into the gate slots, then each gate's activation over its whole run:
            // one transcendental per loop keeps every loop within what C2 inlines (five in one loop
            // overflowed its node budget, and the vectors crossing the calls left were boxed).
            int col = 0;
            for (; col + L <= h; col += L) {
                // a vector never crosses a block: L divides NR and col is a multiple of L
                int pi = po + col / NR * G * NR + col % NR;
                for (int g = 0; g < G; g++) {
                    FloatVector.fromArray(S, pre, pi + g * NR).add(FloatVector.fromArray(S, xProj, xo + g * h + col))
                            .intoArray(gates, xo + g * h + col);
                }
            }
            for (; col < h; col++) {
                int pi = po + col / NR * G * NR + col % NR;
                for (int g = 0; g < G; g++) {
                    gates[xo + g * h + col] = pre[pi + g * NR] + xProj[xo + g * h + col];
                }
            }
            VMath.sigmoid(gates, xo, gates, xo, 2 * h);                 // i, f
            VMath.tanh(gates, xo + 2 * h, gates, xo + 2 * h, h);         // g
            VMath.sigmoid(gates, xo + 3 * h, gates, xo + 3 * h, h);      // o
            col = 0;
            for (; col + L <= h; col += L) {
                FloatVector i = FloatVector.fromArray(S, gates, xo + col);
                FloatVector f = FloatVector.fromArray(S, gates, xo + h + col);
                FloatVector g = FloatVector.fromArray(S, gates, xo + 2 * h + col);
                FloatVector ct = f.fma(FloatVector.fromArray(S, cs, ro + col), i.mul(g));
                ct.intoArray(cells, so + col);
                ct.intoArray(cs, rn + col);
            }
            for (; col < h; col++) {
                float ct = Math.fma(gates[xo + h + col], cs[ro + col], gates[xo + col] * gates[xo + 2 * h + col]);
                cells[so + col] = ct;
                cs[rn + col] = ct;
            }
            VMath.tanh(cells, so, out, so, h);
            col = 0;
            for (; col + L <= h; col += L) {
                FloatVector o = FloatVector.fromArray(S, gates, xo + 3 * h + col);
                FloatVector ht = o.mul(FloatVector.fromArray(S, out, so + col));
                ht.intoArray(out, so + col);
                ht.intoArray(hs, rn + col);
            }
            for (; col < h; col++) {
                float ht = gates[xo + 3 * h + col] * out[so + col];
                out[so + col] = ht;
                hs[rn + col] = ht;
            }
        }
    }

    static void backward(SimdBackend be, RecurrentDims d, Buffer wHhB, Buffer h0B, Buffer c0B, Buffer outB,
                         Buffer gatesB, Buffer cellsB, Buffer gradOutB, Buffer gradHNB, Buffer gradCNB,
                         Buffer gradXProjB, Buffer gradWhhB, Buffer gradH0B, Buffer gradC0B) {
        String op = "lstmSequenceBackward";
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        long bth = (long) b * t * h;
        float[] w = SimdRecurrent.array(be, wHhB, (long) G * h * h, op, "wHh", false);
        float[] h0 = SimdRecurrent.array(be, h0B, (long) b * h, op, "h0", false);
        float[] c0 = SimdRecurrent.array(be, c0B, (long) b * h, op, "c0", false);
        float[] out = SimdRecurrent.array(be, outB, bth, op, "out", false);
        float[] gates = SimdRecurrent.array(be, gatesB, G * bth, op, "gates", false);
        float[] cells = SimdRecurrent.array(be, cellsB, bth, op, "cells", false);
        float[] gradOut = SimdRecurrent.array(be, gradOutB, bth, op, "gradOut", true);
        float[] gradHN = SimdRecurrent.array(be, gradHNB, (long) b * h, op, "gradHN", true);
        float[] gradCN = SimdRecurrent.array(be, gradCNB, (long) b * h, op, "gradCN", true);
        float[] gradX = SimdRecurrent.array(be, gradXProjB, G * bth, op, "gradXProj", false);
        float[] gradW = SimdRecurrent.array(be, gradWhhB, (long) G * h * h, op, "gradWhh", false);
        float[] gradH0 = SimdRecurrent.array(be, gradH0B, (long) b * h, op, "gradH0", true);
        float[] gradC0 = SimdRecurrent.array(be, gradC0B, (long) b * h, op, "gradC0", true);
        WorkerPool pool = be.pool();
        int hp = SimdRecurrent.paddedHidden(h);
        int blocks = hp / NR;
        // dh_{t-1} = dA_t W_hh: W_hh (4H, H) as the right-hand matrix, its columns padded to Hp
        PackedB packed = PackedB.pack(w, 0, h, false, G * h, h, null, pool);
        // (T+1, B, Hp) and (T+1, B, H): slot s+1 holds dL/dh and dL/dc of the state after visited
        // step s (slot T: gradHN, gradCN; slot 0: the gradients of h0, c0)
        int bhp = b * hp;
        Workspace ws = be.workspace();
        float[] gh = ws.floats((t + 1) * bhp);
        float[] gc = ws.floats((t + 1) * b * h);
        SimdRecurrent.toPadded(gradHN, b, h, gh, t * bhp, hp);
        if (gradCN != null) {
            System.arraycopy(gradCN, 0, gc, t * b * h, b * h);
        }
        // dA of visited step s again in slot s of (T, B, lda): the GEMM's operand, rows apart by
        // less than gradX's T*4H (whose rows all alias in L1 when T*4H*4 is a multiple of 4 KiB)
        int lda = SimdRecurrent.rowStride(G * h);
        float[] da = ws.floats(t * b * lda);
        // Each part takes its rows from the last visited step back: dL/dh after step s from
        // dA_{s+1} (s < T-1), then the gate gradients of step s.
        SimdRecurrent.forRowParts(pool, b, (r0, r1) -> {
            float[] prod = SimdRecurrent.scratch((r1 - r0) * hp);
            for (int s = t - 1; s >= -1; s--) {
                if (s < t - 1) {
                    RecurrentGemm.multiply(r1 - r0, da, ((s + 1) * b + r0) * lda, lda, packed.data, G * h, blocks, 0,
                            blocks, prod, 0, hp, false);
                    SimdRecurrent.carry(d, d.time(s + 1), r0, r1, hp, prod, hp, gh, (s + 1) * bhp, null, null);
                }
                if (s >= 0) {
                    cellBackward(d, s, r0, r1, hp, c0, gates, cells, gradOut, gh, (s + 1) * bhp, gc, gradX, da, lda);
                }
            }
        });
        // dW_hh = sum_t dA_t^T h_{t-1}: one GEMM over all B*T rows
        float[] prev = SimdRecurrent.previousStates(d, out, h0, ws.floats(b * t * h), pool);
        Gemm.gemm(true, false, G * h, h, b * t, 1f, gradX, 0, G * h, prev, 0, h, 0f, gradW, 0, h, pool);
        SimdRecurrent.fromPadded(gh, 0, hp, gradH0, b, h);
        if (gradC0 != null) {
            System.arraycopy(gc, 0, gradC0, 0, b * h);
        }
        ws.give(gh);
        ws.give(gc);
        ws.give(da);
        ws.give(prev);
    }

    /**
     * The gate gradients of visited step {@code s} for rows {@code [r0, r1)}: reads dL/dh at
     * {@code gh[go..]} (B, Hp) and dL/dc in slot s+1 of gc; writes {@code dA_t} into gradX and
     * {@code dc_t f} (or, for rows inactive at t, the carried dc) into slot s of gc.
     */
    private static void cellBackward(RecurrentDims d, int s, int r0, int r1, int hp, float[] c0, float[] gates,
                                     float[] cells, float[] gradOut, float[] gh, int go, float[] gc, float[] gradX,
                                     float[] da, int lda) {
        int b = d.batch();
        int steps = d.steps();
        int h = d.hidden();
        int t = d.time(s);
        int tp = s > 0 ? d.time(s - 1) : -1;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int r = r0; r < r1; r++) {
            int xo = (r * steps + t) * G * h;
            int so = (r * steps + t) * h;
            int dci = (s + 1) * b * h + r * h;    // dL/dc after step s; the one before it is B*H lower
            int dco = dci - b * h;
            int ao = (s * b + r) * lda;           // this row of dA in slot s of da
            int gho = go + r * hp;
            if (!d.active(r, t)) {
                Arrays.fill(gradX, xo, xo + G * h, 0f);
                Arrays.fill(da, ao, ao + G * h, 0f);
                System.arraycopy(gc, dci, gc, dco, h);
                continue;
            }
            boolean prevActive = tp >= 0 && d.active(r, tp);
            float[] cp = prevActive ? cells : c0;
            int cpo = prevActive ? (r * steps + tp) * h : r * h;
            // tanh c_t first, parked in the row's di slot of gradX: read back at each column just
            // before di overwrites it (a vector tanh inside this loop was boxed, see VMath)
            VMath.tanh(cells, so, gradX, xo, h);
            int col = 0;
            for (; col + L <= h; col += L) {
                FloatVector dhT = FloatVector.fromArray(S, gh, gho + col);
                if (gradOut != null) {
                    dhT = dhT.add(FloatVector.fromArray(S, gradOut, so + col));
                }
                FloatVector i = FloatVector.fromArray(S, gates, xo + col);
                FloatVector f = FloatVector.fromArray(S, gates, xo + h + col);
                FloatVector g = FloatVector.fromArray(S, gates, xo + 2 * h + col);
                FloatVector o = FloatVector.fromArray(S, gates, xo + 3 * h + col);
                FloatVector tc = FloatVector.fromArray(S, gradX, xo + col);
                // dc_t = dc + dh o (1 - tanh^2 c_t)
                FloatVector dcT = dhT.mul(o).mul(one.sub(tc.mul(tc))).add(FloatVector.fromArray(S, gc, dci + col));
                FloatVector di = dcT.mul(g).mul(i.mul(one.sub(i)));
                FloatVector df = dcT.mul(FloatVector.fromArray(S, cp, cpo + col)).mul(f.mul(one.sub(f)));
                FloatVector dg = dcT.mul(i).mul(one.sub(g.mul(g)));
                FloatVector dO = dhT.mul(tc).mul(o.mul(one.sub(o)));
                di.intoArray(gradX, xo + col);
                df.intoArray(gradX, xo + h + col);
                dg.intoArray(gradX, xo + 2 * h + col);
                dO.intoArray(gradX, xo + 3 * h + col);
                di.intoArray(da, ao + col);
                df.intoArray(da, ao + h + col);
                dg.intoArray(da, ao + 2 * h + col);
                dO.intoArray(da, ao + 3 * h + col);
                dcT.mul(f).intoArray(gc, dco + col);
            }
            for (; col < h; col++) {
                float dhT = gh[gho + col] + (gradOut != null ? gradOut[so + col] : 0f);
                float i = gates[xo + col];
                float f = gates[xo + h + col];
                float g = gates[xo + 2 * h + col];
                float o = gates[xo + 3 * h + col];
                float tc = gradX[xo + col];
                float dcT = dhT * o * (1f - tc * tc) + gc[dci + col];
                float di = dcT * g * (i * (1f - i));
                float df = dcT * cp[cpo + col] * (f * (1f - f));
                float dg = dcT * i * (1f - g * g);
                float dO = dhT * tc * (o * (1f - o));
                gradX[xo + col] = di;
                gradX[xo + h + col] = df;
                gradX[xo + 2 * h + col] = dg;
                gradX[xo + 3 * h + col] = dO;
                da[ao + col] = di;
                da[ao + h + col] = df;
                da[ao + 2 * h + col] = dg;
                da[ao + 3 * h + col] = dO;
                gc[dco + col] = dcT * f;
            }
        }
    }
}
