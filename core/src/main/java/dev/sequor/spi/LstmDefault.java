package dev.sequor.spi;


/**
 * The default whole-sequence LSTM kernels, written from SPI primitives: per visited step one batched
 * GEMM for the recurrent projection of all four gates and a few elementwise primitive calls; the
 * backward pass runs one GEMM per step for {@code dh} and one GEMM at the end for {@code dW_hh}.
 * See {@link Backend#lstmSequenceForward} for the maths and the buffer contract.
 */
final class LstmDefault {

    private LstmDefault() {
    }

    /** See {@link Backend#lstmSequenceForward}. */
    static void forward(Primitives be, RecurrentDims d, Buffer xProj, Buffer wHh, Buffer h0, Buffer c0,
                               Buffer out, Buffer hN, Buffer cN, Buffer gates, Buffer cells) {
        int b = d.batch();
        int h = d.hidden();
        try (SeqOps s = new SeqOps(be, d)) {
            long bh = s.bh;
            Buffer gp = s.alloc(4 * bh);     // (4, B, H) gate pre-activations, then activations
            Buffer gx = s.alloc(4 * bh);     // (4, B, H) input projections of this step
            Buffer gi = s.alloc(bh);
            Buffer gf = s.alloc(bh);
            Buffer gg = s.alloc(bh);
            Buffer go = s.alloc(bh);
            Buffer hc = s.alloc(bh);         // the carried state h_{t-1}, c_{t-1}
            Buffer cc = s.alloc(bh);
            Buffer hNew = s.alloc(bh);
            Buffer cNew = s.alloc(bh);
            Buffer tmp = s.alloc(bh);
            be.copy(h0, 0, hc, 0, bh);
            be.copy(c0, 0, cc, 0, bh);
            for (int step = 0; step < d.steps(); step++) {
                int t = d.time(step);
                boolean all = d.allActive(t);
                // gate k: h_{t-1} W_hh[kH:(k+1)H]^T, all four in one batched GEMM
                be.gemm(false, true, 4, b, h, h, 1f, new MatrixView(hc, 0, h, 0),
                        new MatrixView(wHh, 0, h, (long) h * h), 0f, new MatrixView(gp, 0, h, bh));
                s.loadGates(xProj, t, 4, gx);
                s.op(BinaryOp.ADD, gp, gx, gp, 4 * bh);
                be.unary(UnaryOp.SIGMOID, gp, 0, gp, 0, 2 * bh);
                be.unary(UnaryOp.TANH, gp, 2 * bh, gp, 2 * bh, bh);
                be.unary(UnaryOp.SIGMOID, gp, 3 * bh, gp, 3 * bh, bh);
                if (!all) {
                    s.loadMask(d, t);
                    s.maskRows(gp, 4);       // inactive rows: gates 0, so c_t = 0 and h_t = 0 below
                }
                be.copy(gp, 0, gi, 0, bh);
                be.copy(gp, bh, gf, 0, bh);
                be.copy(gp, 2 * bh, gg, 0, bh);
                be.copy(gp, 3 * bh, go, 0, bh);
                s.mul(gf, cc, cNew);
                s.mul(gi, gg, tmp);
                s.add(cNew, tmp, cNew);      // c_t = f * c_{t-1} + i * g
                be.unary(UnaryOp.TANH, cNew, 0, tmp, 0, bh);
                s.mul(go, tmp, hNew);        // h_t = o * tanh(c_t)
                s.storeGates(gp, 4, gates, t);
                s.storeStep(cNew, cells, t);
                s.storeStep(hNew, out, t);
                if (all) {
                    be.copy(hNew, 0, hc, 0, bh);
                    be.copy(cNew, 0, cc, 0, bh);
                } else {
                    s.carry(hNew, hc, tmp);
                    s.carry(cNew, cc, tmp);
                }
            }
            be.copy(hc, 0, hN, 0, bh);
            be.copy(cc, 0, cN, 0, bh);
        }
    }

    /** See {@link Backend#lstmSequenceBackward}. */
    static void backward(Primitives be, RecurrentDims d, Buffer wHh, Buffer h0, Buffer c0, Buffer out,
                                Buffer gates, Buffer cells, Buffer gradOut, Buffer gradHN, Buffer gradCN,
                                Buffer gradXProj, Buffer gradWhh, Buffer gradH0, Buffer gradC0) {
        int b = d.batch();
        int h = d.hidden();
        try (SeqOps s = new SeqOps(be, d)) {
            long bh = s.bh;
            Buffer gp = s.alloc(4 * bh);
            Buffer dG = s.alloc(4 * bh);
            Buffer gi = s.alloc(bh);
            Buffer gf = s.alloc(bh);
            Buffer gg = s.alloc(bh);
            Buffer go = s.alloc(bh);
            Buffer c = s.alloc(bh);
            Buffer cPrev = s.alloc(bh);
            Buffer hPrev = s.alloc(bh);
            Buffer tanhC = s.alloc(bh);
            Buffer dh = s.alloc(bh);         // gradient carried to h_{t-1} from later steps
            Buffer dc = s.alloc(bh);
            Buffer dhT = s.alloc(bh);
            Buffer dcT = s.alloc(bh);
            Buffer dhNew = s.alloc(bh);
            Buffer tmp = s.alloc(bh);
            Buffer tmp2 = s.alloc(bh);
            Buffer hPrevAll = s.alloc(bh * d.steps());  // (B, T, H): h_{t-1} of every step, for dW_hh
            if (gradHN != null) {
                be.copy(gradHN, 0, dh, 0, bh);
            }
            if (gradCN != null) {
                be.copy(gradCN, 0, dc, 0, bh);
            }
            for (int step = d.steps() - 1; step >= 0; step--) {
                int t = d.time(step);
                // c_{t-1} first: previous() reuses the mask buffer that the step prologue then loads.
                s.previous(d, step, cells, c0, cPrev, tmp);
                boolean all = s.beginBackwardStep(d, step, out, h0, hPrev, hPrevAll, gradOut, dh, dhT, tmp);
                s.loadGates(gates, t, 4, gp);
                be.copy(gp, 0, gi, 0, bh);
                be.copy(gp, bh, gf, 0, bh);
                be.copy(gp, 2 * bh, gg, 0, bh);
                be.copy(gp, 3 * bh, go, 0, bh);
                s.loadStep(cells, t, c);
                be.unary(UnaryOp.TANH, c, 0, tanhC, 0, bh);
                // dc_t = dc + dh * o * (1 - tanh^2 c_t)
                s.tanhGrad(tanhC, tmp);
                s.mul(tmp, go, tmp);
                s.mul(tmp, dhT, tmp);
                s.add(dc, tmp, dcT);
                // d a_o = dh * tanh(c_t) * o (1 - o)
                s.mul(dhT, tanhC, tmp);
                s.sigmoidGrad(go, tmp2);
                s.mul(tmp, tmp2, tmp);
                be.copy(tmp, 0, dG, 3 * bh, bh);
                // d a_i = dc_t * g * i (1 - i)
                s.mul(dcT, gg, tmp);
                s.sigmoidGrad(gi, tmp2);
                s.mul(tmp, tmp2, tmp);
                be.copy(tmp, 0, dG, 0, bh);
                // d a_f = dc_t * c_{t-1} * f (1 - f)
                s.mul(dcT, cPrev, tmp);
                s.sigmoidGrad(gf, tmp2);
                s.mul(tmp, tmp2, tmp);
                be.copy(tmp, 0, dG, bh, bh);
                // d a_g = dc_t * i * (1 - g^2)
                s.mul(dcT, gi, tmp);
                s.tanhGrad(gg, tmp2);
                s.mul(tmp, tmp2, tmp);
                be.copy(tmp, 0, dG, 2 * bh, bh);
                if (!all) {
                    s.maskRows(dG, 4);
                }
                s.storeGates(dG, 4, gradXProj, t);
                // dh_{t-1} = dA_t W_hh (B, 4H) @ (4H, H); dc_{t-1} = dc_t * f
                be.gemm(false, false, 1, b, h, 4 * h, 1f, s.stepView(gradXProj, t, 4 * h),
                        SeqOps.dense(wHh, h), 0f, SeqOps.dense(dhNew, h));
                s.mul(dcT, gf, tmp2);
                if (all) {
                    be.copy(dhNew, 0, dh, 0, bh);
                    be.copy(tmp2, 0, dc, 0, bh);
                } else {
                    s.carry(dhNew, dh, tmp);
                    s.carry(tmp2, dc, tmp);
                }
            }
            // dW_hh = sum_t dA_t^T h_{t-1}: one GEMM over all B*T rows
            be.gemm(true, false, 1, 4 * h, h, b * d.steps(), 1f, SeqOps.dense(gradXProj, 4 * h),
                    SeqOps.dense(hPrevAll, h), 0f, SeqOps.dense(gradWhh, h));
            if (gradH0 != null) {
                be.copy(dh, 0, gradH0, 0, bh);
            }
            if (gradC0 != null) {
                be.copy(dc, 0, gradC0, 0, bh);
            }
        }
    }
}
