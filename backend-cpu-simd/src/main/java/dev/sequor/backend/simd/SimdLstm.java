package dev.sequor.backend.simd;

import dev.sequor.spi.Buffer;
import dev.sequor.spi.RecurrentDims;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import static dev.sequor.backend.simd.GemmKernel.L;
import static dev.sequor.backend.simd.GemmKernel.NR;
import static dev.sequor.backend.simd.SimdRecurrent.load;
import static dev.sequor.backend.simd.SimdRecurrent.sigmoid;
import static dev.sequor.backend.simd.SimdRecurrent.store;
import static dev.sequor.backend.simd.SimdRecurrent.tail;
import static dev.sequor.backend.simd.SimdRecurrent.tanh;

/**
 * The whole-sequence LSTM on cpu-simd (maths and buffer contract: {@code Backend#lstmSequenceForward}
 * and {@code #lstmSequenceBackward}, gates i, f, g, o). {@code W_hh} is packed once per sequence;
 * each step is ONE hand-off to the pool, whose parts each own a range of hidden blocks and run, for
 * those units, the recurrent GEMM into a gate buffer and then the fused vector gate kernel. The
 * backward mirrors it: per step, each part adds {@code dA_{t+1} W_hh} into its columns of
 * {@code dh} and then runs the gate-gradient kernel of step t for its units; {@code dW_hh} is one
 * GEMM over all steps at the end. The saved buffers hold what the default stores (activated gates
 * and {@code c_t}).
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
        float[] w = SimdRecurrent.array(be, wHhB, (long) G * h * h, op, "wHh", false);
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
        float[] packed = SimdRecurrent.packGateMajor(w, h, G, pool);
        float[] pre = new float[b * G * hp];          // (B, blocks, G, NR): h_{t-1} W_hh^T, block-interleaved
        float[][] hs = {java.util.Arrays.copyOf(h0, b * h), new float[b * h]};   // ping-pong h_{t-1}, h_t
        float[] c = java.util.Arrays.copyOf(c0, b * h);   // each unit's c is read and written by its owner only
        int parts = SimdRecurrent.parts(blocks, pool);
        for (int s = 0; s < t; s++) {
            final int tt = d.time(s);
            final float[] hPrev = hs[s & 1];
            final float[] hNext = hs[(s + 1) & 1];
            pool.run(parts, part -> {
                int jb0 = SimdRecurrent.blockStart(part, parts, blocks);
                int jb1 = SimdRecurrent.blockStart(part + 1, parts, blocks);
                RecurrentGemm.multiply(b, hPrev, 0, h, packed, h, blocks * G, jb0 * G, jb1 * G, pre, 0, G * hp, false);
                cellForward(d, tt, jb0, jb1, xProj, pre, hp, hPrev, hNext, c, out, gates, cells);
            });
        }
        System.arraycopy(hs[t & 1], 0, hN, 0, b * h);
        System.arraycopy(c, 0, cN, 0, b * h);
    }

    /** The gate kernel of step {@code t} for hidden blocks {@code [jb0, jb1)} of every row. */
    private static void cellForward(RecurrentDims d, int t, int jb0, int jb1, float[] xProj, float[] pre, int hp,
                                    float[] hPrev, float[] hNext, float[] c, float[] out, float[] gates,
                                    float[] cells) {
        int b = d.batch();
        int steps = d.steps();
        int h = d.hidden();
        for (int r = 0; r < b; r++) {
            boolean active = d.active(r, t);
            int xo = (r * steps + t) * G * h;     // xProj and gates
            int so = (r * steps + t) * h;         // out and cells
            int ro = r * h;                       // carried state
            int po = r * G * hp;
            for (int jb = jb0; jb < jb1; jb++) {
                for (int u = 0; u < NR; u += L) {
                    int col = jb * NR + u;
                    if (col >= h) {
                        break;
                    }
                    VectorMask<Float> m = tail(col, h);
                    if (!active) {
                        FloatVector zero = FloatVector.zero(GemmKernel.S);
                        for (int g = 0; g < G; g++) {
                            store(zero, gates, xo + g * h + col, m);
                        }
                        store(zero, out, so + col, m);
                        store(zero, cells, so + col, m);
                        store(load(hPrev, ro + col, m), hNext, ro + col, m);
                        continue;
                    }
                    int pi = po + jb * G * NR + u;
                    FloatVector i = sigmoid(load(pre, pi, null).add(load(xProj, xo + col, m)));
                    FloatVector f = sigmoid(load(pre, pi + NR, null).add(load(xProj, xo + h + col, m)));
                    FloatVector g = tanh(load(pre, pi + 2 * NR, null).add(load(xProj, xo + 2 * h + col, m)));
                    FloatVector o = sigmoid(load(pre, pi + 3 * NR, null).add(load(xProj, xo + 3 * h + col, m)));
                    FloatVector ct = f.fma(load(c, ro + col, m), i.mul(g));
                    FloatVector ht = o.mul(tanh(ct));
                    store(i, gates, xo + col, m);
                    store(f, gates, xo + h + col, m);
                    store(g, gates, xo + 2 * h + col, m);
                    store(o, gates, xo + 3 * h + col, m);
                    store(ct, cells, so + col, m);
                    store(ct, c, ro + col, m);
                    store(ht, out, so + col, m);
                    store(ht, hNext, ro + col, m);
                }
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
        float[] dh = new float[b * hp];               // (B, Hp): dL/dh carried into the step being visited
        float[] dc = new float[b * h];
        if (gradHN != null) {
            for (int r = 0; r < b; r++) {
                System.arraycopy(gradHN, r * h, dh, r * hp, h);
            }
        }
        if (gradCN != null) {
            System.arraycopy(gradCN, 0, dc, 0, b * h);
        }
        int parts = SimdRecurrent.parts(blocks, pool);
        // Iteration i adds the recurrent product of the step finished in iteration i-1, then runs the
        // gate gradients of the next step (visiting order reversed) for the same units.
        for (int it = 0; it <= t; it++) {
            final int done = it == 0 ? -1 : d.time(t - it);
            final int s = t - 1 - it;
            pool.run(parts, part -> {
                int jb0 = SimdRecurrent.blockStart(part, parts, blocks);
                int jb1 = SimdRecurrent.blockStart(part + 1, parts, blocks);
                if (done >= 0) {
                    RecurrentGemm.multiply(b, gradX, done * G * h, t * G * h, packed.data, G * h, blocks, jb0, jb1,
                            dh, 0, hp, true);
                }
                if (s >= 0) {
                    cellBackward(d, s, jb0, jb1, hp, c0, gates, cells, gradOut, dh, dc, gradX);
                }
            });
        }
        // dW_hh = sum_t dA_t^T h_{t-1}: one GEMM over all B*T rows
        float[] prev = SimdRecurrent.previousStates(d, out, h0, pool);
        Gemm.gemm(true, false, G * h, h, b * t, 1f, gradX, 0, G * h, prev, 0, h, 0f, gradW, 0, h, pool);
        if (gradH0 != null) {
            for (int r = 0; r < b; r++) {
                System.arraycopy(dh, r * hp, gradH0, r * h, h);
            }
        }
        if (gradC0 != null) {
            System.arraycopy(dc, 0, gradC0, 0, b * h);
        }
    }

    /**
     * The gate gradients of visited step {@code s} for blocks {@code [jb0, jb1)}: reads the carried
     * {@code dh}, {@code dc}; writes {@code dA_t} into gradX, sets {@code dc = dc_t f} and clears
     * {@code dh} for the recurrent product to accumulate into (rows inactive at t keep both).
     */
    private static void cellBackward(RecurrentDims d, int s, int jb0, int jb1, int hp, float[] c0, float[] gates,
                                     float[] cells, float[] gradOut, float[] dh, float[] dc, float[] gradX) {
        int b = d.batch();
        int steps = d.steps();
        int h = d.hidden();
        int t = d.time(s);
        int tp = s > 0 ? d.time(s - 1) : -1;
        FloatVector one = FloatVector.broadcast(GemmKernel.S, 1f);
        for (int r = 0; r < b; r++) {
            boolean active = d.active(r, t);
            boolean prevActive = tp >= 0 && d.active(r, tp);
            int xo = (r * steps + t) * G * h;
            int so = (r * steps + t) * h;
            float[] cp = prevActive ? cells : c0;
            int cpo = prevActive ? (r * steps + tp) * h : r * h;
            for (int jb = jb0; jb < jb1; jb++) {
                for (int u = 0; u < NR; u += L) {
                    int col = jb * NR + u;
                    if (col >= h) {
                        break;
                    }
                    VectorMask<Float> m = tail(col, h);
                    if (!active) {
                        FloatVector zero = FloatVector.zero(GemmKernel.S);
                        for (int g = 0; g < G; g++) {
                            store(zero, gradX, xo + g * h + col, m);
                        }
                        continue;
                    }
                    FloatVector dhT = load(dh, r * hp + col, m);
                    if (gradOut != null) {
                        dhT = dhT.add(load(gradOut, so + col, m));
                    }
                    FloatVector i = load(gates, xo + col, m);
                    FloatVector f = load(gates, xo + h + col, m);
                    FloatVector g = load(gates, xo + 2 * h + col, m);
                    FloatVector o = load(gates, xo + 3 * h + col, m);
                    FloatVector tc = tanh(load(cells, so + col, m));
                    // dc_t = dc + dh o (1 - tanh^2 c_t)
                    FloatVector dcT = dhT.mul(o).mul(one.sub(tc.mul(tc))).add(load(dc, r * h + col, m));
                    FloatVector di = dcT.mul(g).mul(i.mul(one.sub(i)));
                    FloatVector df = dcT.mul(load(cp, cpo + col, m)).mul(f.mul(one.sub(f)));
                    FloatVector dg = dcT.mul(i).mul(one.sub(g.mul(g)));
                    FloatVector dO = dhT.mul(tc).mul(o.mul(one.sub(o)));
                    store(di, gradX, xo + col, m);
                    store(df, gradX, xo + h + col, m);
                    store(dg, gradX, xo + 2 * h + col, m);
                    store(dO, gradX, xo + 3 * h + col, m);
                    store(dcT.mul(f), dc, r * h + col, m);
                    store(FloatVector.zero(GemmKernel.S), dh, r * hp + col, m);
                }
            }
        }
    }
}
