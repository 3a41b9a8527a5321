package dev.sequor.spi;


/**
 * The default whole-sequence Elman RNN kernels, written from SPI primitives: per visited step one
 * GEMM and one activation; backward one GEMM per step and one for {@code dW_hh} at the end.
 * See {@link Backend#rnnSequenceForward}.
 */
final class RnnDefault {

    private RnnDefault() {
    }

    /** See {@link Backend#rnnSequenceForward}. */
    static void forward(Primitives be, RecurrentDims d, RnnActivation act, Buffer xProj, Buffer wHh,
                               Buffer h0, Buffer out, Buffer hN) {
        int b = d.batch();
        int h = d.hidden();
        try (SeqOps s = new SeqOps(be, d)) {
            long bh = s.bh;
            Buffer a = s.alloc(bh);
            Buffer x = s.alloc(bh);
            Buffer hc = s.alloc(bh);
            Buffer tmp = s.alloc(bh);
            be.copy(h0, 0, hc, 0, bh);
            UnaryOp f = act == RnnActivation.TANH ? UnaryOp.TANH : UnaryOp.RELU;
            for (int step = 0; step < d.steps(); step++) {
                int t = d.time(step);
                be.gemm(false, true, 1, b, h, h, 1f, SeqOps.dense(hc, h), SeqOps.dense(wHh, h), 0f,
                        SeqOps.dense(a, h));
                s.loadStep(xProj, t, x);
                s.add(a, x, a);
                be.unary(f, a, 0, a, 0, bh);
                if (d.allActive(t)) {
                    be.copy(a, 0, hc, 0, bh);
                } else {
                    s.loadMask(d, t);
                    s.carry(a, hc, tmp);
                    s.maskRows(a, 1);
                }
                s.storeStep(a, out, t);
            }
            be.copy(hc, 0, hN, 0, bh);
        }
    }

    /** See {@link Backend#rnnSequenceBackward}. */
    static void backward(Primitives be, RecurrentDims d, RnnActivation act, Buffer wHh, Buffer h0, Buffer out,
                                Buffer gradOut, Buffer gradHN, Buffer gradXProj, Buffer gradWhh, Buffer gradH0) {
        int b = d.batch();
        int h = d.hidden();
        try (SeqOps s = new SeqOps(be, d)) {
            long bh = s.bh;
            Buffer hPrev = s.alloc(bh);
            Buffer ht = s.alloc(bh);
            Buffer dh = s.alloc(bh);
            Buffer da = s.alloc(bh);
            Buffer dhNew = s.alloc(bh);
            Buffer tmp = s.alloc(bh);
            Buffer hPrevAll = s.alloc(bh * d.steps());
            if (gradHN != null) {
                be.copy(gradHN, 0, dh, 0, bh);
            }
            for (int step = d.steps() - 1; step >= 0; step--) {
                int t = d.time(step);
                boolean all = s.beginBackwardStep(d, step, out, h0, hPrev, hPrevAll, gradOut, dh, da, tmp);
                s.loadStep(out, t, ht);
                if (act == RnnActivation.TANH) {
                    s.tanhGrad(ht, tmp);
                } else {
                    be.scalar(BinaryOp.GT, ht, 0f, tmp, bh);
                }
                s.mul(da, tmp, da);
                if (!all) {
                    s.maskRows(da, 1);
                }
                s.storeStep(da, gradXProj, t);
                be.gemm(false, false, 1, b, h, h, 1f, SeqOps.dense(da, h), SeqOps.dense(wHh, h), 0f,
                        SeqOps.dense(dhNew, h));
                if (all) {
                    be.copy(dhNew, 0, dh, 0, bh);
                } else {
                    s.carry(dhNew, dh, tmp);
                }
            }
            be.gemm(true, false, 1, h, h, b * d.steps(), 1f, SeqOps.dense(gradXProj, h),
                    SeqOps.dense(hPrevAll, h), 0f, SeqOps.dense(gradWhh, h));
            if (gradH0 != null) {
                be.copy(dh, 0, gradH0, 0, bh);
            }
        }
    }
}
