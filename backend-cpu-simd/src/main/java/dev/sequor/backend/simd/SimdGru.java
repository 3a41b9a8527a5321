package dev.sequor.backend.simd;

import dev.sequor.spi.Buffer;
import dev.sequor.spi.RecurrentDims;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import static dev.sequor.backend.simd.GemmKernel.L;
import static dev.sequor.backend.simd.GemmKernel.NR;
import static dev.sequor.backend.simd.GemmKernel.S;
import static dev.sequor.backend.simd.SimdRecurrent.load;
import static dev.sequor.backend.simd.SimdRecurrent.sigmoid;
import static dev.sequor.backend.simd.SimdRecurrent.store;
import static dev.sequor.backend.simd.SimdRecurrent.tail;
import static dev.sequor.backend.simd.SimdRecurrent.tanh;

/**
 * The whole-sequence GRU on cpu-simd (maths and buffer contract: {@code Backend#gruSequenceForward}
 * and {@code #gruSequenceBackward}, gates r, z, n, reset applied to {@code W_hn h + b_hn}). Built as
 * {@link SimdLstm}: {@code W_hh} packed once, one pool hand-off per step whose parts each run the
 * recurrent GEMM and the fused gate kernel for their own hidden blocks. The backward accumulates
 * {@code dp_t W_hh} onto {@code dh_t z} and keeps {@code dp} of every step for {@code dW_hh} and
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
        float[] w = SimdRecurrent.array(be, wHhB, (long) G * h * h, op, "wHh", false);
        float[] bias = SimdRecurrent.array(be, bHhB, (long) G * h, op, "bHh", false);
        float[] h0 = SimdRecurrent.array(be, h0B, (long) b * h, op, "h0", false);
        float[] out = SimdRecurrent.array(be, outB, bth, op, "out", false);
        float[] hN = SimdRecurrent.array(be, hNB, (long) b * h, op, "hN", false);
        float[] gates = SimdRecurrent.array(be, gatesB, G * bth, op, "gates", false);
        float[] hidN = SimdRecurrent.array(be, hiddenNB, bth, op, "hiddenN", false);
        WorkerPool pool = be.pool();
        int hp = SimdRecurrent.paddedHidden(h);
        int blocks = hp / NR;
        float[] packed = SimdRecurrent.packGateMajor(w, h, G, pool);
        int ld = SimdRecurrent.rowStride(h);
        int slot = b * ld;
        float[] hs = new float[(t + 1) * slot];       // (T+1, B, ld): slot s is the state before visited step s
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
    }

    /**
     * The gate kernel of step t for rows {@code [r0, r1)}: the state is read at {@code hs[so0..]}
     * (rows {@code ld} apart) and written {@code B*ld} further.
     */
    private static void cellForward(RecurrentDims d, int t, int r0, int r1, int blocks, float[] xProj, float[] pre,
                                    int ldp,
                                    float[] bias, float[] hs, int so0, int ld, float[] out, float[] gates,
                                    float[] hidN) {
        int b = d.batch();
        int steps = d.steps();
        int h = d.hidden();
        for (int r = r0; r < r1; r++) {
            boolean active = d.active(r, t);
            int xo = (r * steps + t) * G * h;
            int so = (r * steps + t) * h;
            int ro = so0 + r * ld;
            int rn = ro + b * ld;
            int po = (r - r0) * ldp;
            for (int jb = 0; jb < blocks; jb++) {
                for (int u = 0; u < NR; u += L) {
                    int col = jb * NR + u;
                    if (col >= h) {
                        break;
                    }
                    VectorMask<Float> m = tail(col, h);
                    FloatVector hp0 = load(hs, ro + col, m);
                    if (!active) {
                        FloatVector zero = FloatVector.zero(S);
                        for (int g = 0; g < G; g++) {
                            store(zero, gates, xo + g * h + col, m);
                        }
                        store(zero, out, so + col, m);
                        store(zero, hidN, so + col, m);
                        store(hp0, hs, rn + col, m);
                        continue;
                    }
                    int pi = po + jb * G * NR + u;
                    FloatVector rg = sigmoid(load(pre, pi, null).add(load(bias, col, m)).add(load(xProj, xo + col, m)));
                    FloatVector z = sigmoid(load(pre, pi + NR, null).add(load(bias, h + col, m))
                            .add(load(xProj, xo + h + col, m)));
                    FloatVector pn = load(pre, pi + 2 * NR, null).add(load(bias, 2 * h + col, m));
                    FloatVector n = tanh(rg.fma(pn, load(xProj, xo + 2 * h + col, m)));
                    FloatVector ht = z.fma(hp0.sub(n), n);     // (1 - z) n + z h = n + z (h - n)
                    store(rg, gates, xo + col, m);
                    store(z, gates, xo + h + col, m);
                    store(n, gates, xo + 2 * h + col, m);
                    store(pn, hidN, so + col, m);
                    store(ht, out, so + col, m);
                    store(ht, hs, rn + col, m);
                }
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
        float[] dp = new float[(int) (G * bth)];      // (B, T, 3H): dL/d(h W_hh^T + b_hh) of every step
        int bhp = b * hp;
        float[] gh = new float[(t + 1) * bhp];        // slot s+1: dL/dh after visited step s (see SimdLstm)
        if (gradHN != null) {
            for (int r = 0; r < b; r++) {
                System.arraycopy(gradHN, r * h, gh, t * bhp + r * hp, h);
            }
        }
        int lda = SimdRecurrent.rowStride(G * h);
        float[] dpc = new float[t * b * lda];         // dp of visited step s in slot s: the step GEMM's operand
        SimdRecurrent.forRowParts(pool, b, (r0, r1) -> {
            float[] prod = SimdRecurrent.scratch((r1 - r0) * hp);
            for (int s = t - 1; s >= -1; s--) {
                if (s < t - 1) {
                    RecurrentGemm.multiply(r1 - r0, dpc, ((s + 1) * b + r0) * lda, lda, packed.data, G * h, blocks, 0,
                            blocks, prod, 0, hp, false);
                    SimdRecurrent.carry(d, d.time(s + 1), r0, r1, hp, prod, hp, gh, (s + 1) * bhp, gradOut, gates);
                }
                if (s >= 0) {
                    cellBackward(d, s, r0, r1, blocks, hp, h0, out, gates, hidN, gradOut, gh, (s + 1) * bhp, gradX,
                            dp, dpc, lda);
                }
            }
        });
        float[] prev = SimdRecurrent.previousStates(d, out, h0, pool);
        Gemm.gemm(true, false, G * h, h, b * t, 1f, dp, 0, G * h, prev, 0, h, 0f, gradW, 0, h, pool);
        columnSums(dp, b * t, G * h, gradB);
        if (gradH0 != null) {
            for (int r = 0; r < b; r++) {
                System.arraycopy(gh, r * hp, gradH0, r * h, h);
            }
        }
    }

    /**
     * The gate gradients of visited step {@code s} for rows {@code [r0, r1)}: writes
     * {@code [da_r, da_z, da_n]} to gradX and {@code [da_r, da_z, da_n r]} to dp, reading dL/dh after
     * the step at {@code gh[go..]}; the {@code dh_t z} path to the previous state is added by
     * {@link SimdRecurrent#carry} with the recurrent product.
     */
    private static void cellBackward(RecurrentDims d, int s, int r0, int r1, int blocks, int hp, float[] h0,
                                     float[] out,
                                     float[] gates, float[] hidN, float[] gradOut, float[] gh, int go,
                                     float[] gradX, float[] dp, float[] dpc, int lda) {
        int b = d.batch();
        int steps = d.steps();
        int h = d.hidden();
        int t = d.time(s);
        int tp = s > 0 ? d.time(s - 1) : -1;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int r = r0; r < r1; r++) {
            boolean active = d.active(r, t);
            boolean prevActive = tp >= 0 && d.active(r, tp);
            int xo = (r * steps + t) * G * h;
            int so = (r * steps + t) * h;
            float[] hprev = prevActive ? out : h0;
            int hpo = prevActive ? (r * steps + tp) * h : r * h;
            int co = (s * b + r) * lda;
            for (int jb = 0; jb < blocks; jb++) {
                for (int u = 0; u < NR; u += L) {
                    int col = jb * NR + u;
                    if (col >= h) {
                        break;
                    }
                    VectorMask<Float> m = tail(col, h);
                    if (!active) {
                        FloatVector zero = FloatVector.zero(S);
                        for (int g = 0; g < G; g++) {
                            store(zero, gradX, xo + g * h + col, m);
                            store(zero, dp, xo + g * h + col, m);
                            store(zero, dpc, co + g * h + col, m);
                        }
                        continue;
                    }
                    FloatVector dhT = load(gh, go + r * hp + col, m);
                    if (gradOut != null) {
                        dhT = dhT.add(load(gradOut, so + col, m));
                    }
                    FloatVector rg = load(gates, xo + col, m);
                    FloatVector z = load(gates, xo + h + col, m);
                    FloatVector n = load(gates, xo + 2 * h + col, m);
                    FloatVector pn = load(hidN, so + col, m);
                    FloatVector dan = dhT.mul(one.sub(z)).mul(one.sub(n.mul(n)));
                    FloatVector daz = dhT.mul(load(hprev, hpo + col, m).sub(n)).mul(z.mul(one.sub(z)));
                    FloatVector dar = dan.mul(pn).mul(rg.mul(one.sub(rg)));
                    store(dar, gradX, xo + col, m);
                    store(daz, gradX, xo + h + col, m);
                    store(dan, gradX, xo + 2 * h + col, m);
                    store(dar, dp, xo + col, m);
                    store(daz, dp, xo + h + col, m);
                    FloatVector dpn = dan.mul(rg);
                    store(dpn, dp, xo + 2 * h + col, m);
                    store(dar, dpc, co + col, m);
                    store(daz, dpc, co + h + col, m);
                    store(dpn, dpc, co + 2 * h + col, m);
                }
            }
        }
    }

    /** {@code sums[j] = sum_i x[i*n + j]} over {@code rows} rows. */
    private static void columnSums(float[] x, int rows, int n, float[] sums) {
        java.util.Arrays.fill(sums, 0, n, 0f);
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
