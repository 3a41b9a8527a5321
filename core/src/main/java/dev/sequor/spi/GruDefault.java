package dev.sequor.spi;


/**
 * The default whole-sequence GRU kernels (PyTorch/cuDNN form, reset gate applied after the
 * recurrent product), written from SPI primitives: per visited step one batched GEMM for the
 * recurrent projection of the three gates plus elementwise primitives; backward runs one GEMM per
 * step for {@code dh} and one GEMM at the end for {@code dW_hh}. See {@link Backend#gruSequenceForward}.
 */
final class GruDefault {

    private GruDefault() {
    }

    /** See {@link Backend#gruSequenceForward}. */
    static void forward(Primitives be, RecurrentDims d, Buffer xProj, Buffer wHh, Buffer bHh, Buffer h0,
                               Buffer out, Buffer hN, Buffer gates, Buffer hiddenN) {
        int b = d.batch();
        int h = d.hidden();
        try (SeqOps s = new SeqOps(be, d)) {
            long bh = s.bh;
            Buffer gp = s.alloc(3 * bh);     // (3, B, H) h_{t-1} W_hh^T + b_hh
            Buffer gx = s.alloc(3 * bh);     // (3, B, H) x_t W_ih^T + b_ih
            Buffer ga = s.alloc(3 * bh);     // (3, B, H) activated r, z, n
            Buffer hn = s.alloc(bh);
            Buffer xn = s.alloc(bh);
            Buffer z = s.alloc(bh);
            Buffer n = s.alloc(bh);
            Buffer hc = s.alloc(bh);
            Buffer hNew = s.alloc(bh);
            Buffer tmp = s.alloc(bh);
            be.copy(h0, 0, hc, 0, bh);
            for (int step = 0; step < d.steps(); step++) {
                int t = d.time(step);
                boolean all = d.allActive(t);
                be.gemm(false, true, 3, b, h, h, 1f, new MatrixView(hc, 0, h, 0),
                        new MatrixView(wHh, 0, h, (long) h * h), 0f, new MatrixView(gp, 0, h, bh));
                be.binary(BinaryOp.ADD, gp, new long[] {bh, h, 1}, bHh, new long[] {h, 0, 1}, gp,
                        new int[] {3, b, h});
                s.loadGates(xProj, t, 3, gx);
                // r, z = sigmoid(x W_i{r,z}^T + b_i{r,z} + h W_h{r,z}^T + b_h{r,z}), the first 2BH elements
                s.op(BinaryOp.ADD, gx, gp, ga, 2 * bh);
                be.unary(UnaryOp.SIGMOID, ga, 0, ga, 0, 2 * bh);
                // n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn)); r is ga's first BH elements
                be.copy(gp, 2 * bh, hn, 0, bh);
                be.copy(gx, 2 * bh, xn, 0, bh);
                s.mul(ga, hn, tmp);
                s.add(xn, tmp, tmp);
                be.unary(UnaryOp.TANH, tmp, 0, n, 0, bh);
                be.copy(n, 0, ga, 2 * bh, bh);
                // h_t = (1 - z) * n + z * h_{t-1} = n + z * (h_{t-1} - n)
                be.copy(ga, bh, z, 0, bh);
                s.sub(hc, n, tmp);
                s.mul(z, tmp, tmp);
                s.add(n, tmp, hNew);
                if (!all) {
                    s.loadMask(d, t);
                    s.maskRows(ga, 3);
                    s.maskRows(hn, 1);
                    s.carry(hNew, hc, tmp);
                    s.maskRows(hNew, 1);
                } else {
                    be.copy(hNew, 0, hc, 0, bh);
                }
                s.storeGates(ga, 3, gates, t);
                s.storeStep(hn, hiddenN, t);
                s.storeStep(hNew, out, t);
            }
            be.copy(hc, 0, hN, 0, bh);
        }
    }

    /** See {@link Backend#gruSequenceBackward}. */
    static void backward(Primitives be, RecurrentDims d, Buffer wHh, Buffer h0, Buffer out, Buffer gates,
                                Buffer hiddenN, Buffer gradOut, Buffer gradHN, Buffer gradXProj,
                                Buffer gradWhh, Buffer gradBhh, Buffer gradH0) {
        int b = d.batch();
        int h = d.hidden();
        try (SeqOps s = new SeqOps(be, d)) {
            long bh = s.bh;
            Buffer ga = s.alloc(3 * bh);
            Buffer dX = s.alloc(3 * bh);      // (3, B, H) gradient of the input-side pre-activations
            Buffer r = s.alloc(bh);
            Buffer z = s.alloc(bh);
            Buffer n = s.alloc(bh);
            Buffer hn = s.alloc(bh);
            Buffer hPrev = s.alloc(bh);
            Buffer dh = s.alloc(bh);
            Buffer dhT = s.alloc(bh);
            Buffer dan = s.alloc(bh);
            Buffer dhNew = s.alloc(bh);
            Buffer tmp = s.alloc(bh);
            Buffer tmp2 = s.alloc(bh);
            Buffer hPrevAll = s.alloc(bh * d.steps());       // (B, T, H)
            Buffer gradHid = s.alloc(3 * bh * d.steps());    // (B, T, 3H) gradient of h W_hh^T + b_hh
            if (gradHN != null) {
                be.copy(gradHN, 0, dh, 0, bh);
            }
            for (int step = d.steps() - 1; step >= 0; step--) {
                int t = d.time(step);
                boolean all = s.beginBackwardStep(d, step, out, h0, hPrev, hPrevAll, gradOut, dh, dhT, tmp);
                s.loadGates(gates, t, 3, ga);
                be.copy(ga, 0, r, 0, bh);
                be.copy(ga, bh, z, 0, bh);
                be.copy(ga, 2 * bh, n, 0, bh);
                s.loadStep(hiddenN, t, hn);
                // d a_n = dh * (1 - z) * (1 - n^2)
                be.affine(z, -1f, 1f, tmp, bh);
                s.mul(dhT, tmp, tmp);
                s.tanhGrad(n, tmp2);
                s.mul(tmp, tmp2, dan);
                be.copy(dan, 0, dX, 2 * bh, bh);
                // d a_z = dh * (h_{t-1} - n) * z (1 - z)
                s.sub(hPrev, n, tmp);
                s.mul(dhT, tmp, tmp);
                s.sigmoidGrad(z, tmp2);
                s.mul(tmp, tmp2, tmp);
                be.copy(tmp, 0, dX, bh, bh);
                // d a_r = d a_n * (h W_hn^T + b_hn) * r (1 - r)
                s.mul(dan, hn, tmp);
                s.sigmoidGrad(r, tmp2);
                s.mul(tmp, tmp2, tmp);
                be.copy(tmp, 0, dX, 0, bh);
                if (!all) {
                    s.maskRows(dX, 3);
                }
                s.storeGates(dX, 3, gradXProj, t);
                // the recurrent side sees d a_r, d a_z and d a_n * r
                s.mul(dan, r, tmp);
                be.copy(tmp, 0, dX, 2 * bh, bh);
                if (!all) {
                    s.maskRows(dX, 3);
                }
                s.storeGates(dX, 3, gradHid, t);
                // dh_{t-1} = dHid_t W_hh + dh * z
                be.gemm(false, false, 1, b, h, 3 * h, 1f, s.stepView(gradHid, t, 3 * h),
                        SeqOps.dense(wHh, h), 0f, SeqOps.dense(dhNew, h));
                s.mul(dhT, z, tmp);
                s.add(dhNew, tmp, dhNew);
                if (all) {
                    be.copy(dhNew, 0, dh, 0, bh);
                } else {
                    s.carry(dhNew, dh, tmp);
                }
            }
            be.gemm(true, false, 1, 3 * h, h, b * d.steps(), 1f, SeqOps.dense(gradHid, 3 * h),
                    SeqOps.dense(hPrevAll, h), 0f, SeqOps.dense(gradWhh, h));
            be.reduce(ReduceOp.SUM, gradHid, 1, b * d.steps(), 3 * h, gradBhh);
            if (gradH0 != null) {
                be.copy(dh, 0, gradH0, 0, bh);
            }
        }
    }
}
