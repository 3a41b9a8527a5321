package dev.sequor.nn.recurrent;

import dev.sequor.core.CustomOp;
import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RecurrentDims;
import dev.sequor.spi.RnnActivation;

/**
 * Tensor-level wrappers of the backend's fused whole-sequence kernels: each call is ONE autograd
 * node (via {@link CustomOp}) whose backward is the backend's fused backward. Shapes are checked by
 * the layers before they get here.
 */
final class SequenceOps {

    private SequenceOps() {
    }

    private static Buffer buf(Tensor t) {
        return t == null ? null : t.buffer("recurrent sequence");
    }

    private static boolean wants(Tensor... ts) {
        if (!Grad.isEnabled()) {
            return false;
        }
        for (Tensor t : ts) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * LSTM over one direction. @param xProj (B, T, 4H) = x W_ih^T + b_ih + b_hh
     * @return {out (B, T, H), hN (B, H), cN (B, H)}
     */
    static Tensor[] lstm(Tensor xProj, Tensor wHh, Tensor h0, Tensor c0, int[] lengths, boolean reverse) {
        Backend be = xProj.backend();
        int b = xProj.size(0);
        int t = xProj.size(1);
        int h = wHh.size(1);
        RecurrentDims d = new RecurrentDims(b, t, h, lengths, reverse);
        Tensor out = Tensor.zeros(be, b, t, h);
        Tensor hN = Tensor.zeros(be, b, h);
        Tensor cN = Tensor.zeros(be, b, h);
        Tensor gates = Tensor.zeros(be, b, t, 4 * h);
        Tensor cells = Tensor.zeros(be, b, t, h);
        be.lstmSequenceForward(d, buf(xProj), buf(wHh), buf(h0), buf(c0), buf(out), buf(hN), buf(cN),
                buf(gates), buf(cells));
        if (!wants(xProj, wHh, h0, c0)) {
            gates.close();
            cells.close();
            return new Tensor[] {out, hN, cN};
        }
        return CustomOp.record("lstmSequence", new Tensor[] {xProj, wHh, h0, c0}, new Tensor[] {out, hN, cN},
                new Tensor[] {gates, cells}, g -> {
            Tensor gx = Tensor.zeros(be, b, t, 4 * h);
            Tensor gw = Tensor.zeros(be, 4 * h, h);
            Tensor gh0 = h0.requiresGrad() ? Tensor.zeros(be, b, h) : null;
            Tensor gc0 = c0.requiresGrad() ? Tensor.zeros(be, b, h) : null;
            be.lstmSequenceBackward(d, buf(wHh), buf(h0), buf(c0), buf(out), buf(gates), buf(cells),
                    buf(g[0]), buf(g[1]), buf(g[2]), buf(gx), buf(gw), buf(gh0), buf(gc0));
            return new Tensor[] {gx, wHh.requiresGrad() ? gw : null, gh0, gc0};
        });
    }

    /**
     * GRU (reset after the recurrent product) over one direction.
     * @param xProj (B, T, 3H) = x W_ih^T + b_ih
     * @param bHh   (3H) recurrent bias
     * @return {out (B, T, H), hN (B, H)}
     */
    static Tensor[] gru(Tensor xProj, Tensor wHh, Tensor bHh, Tensor h0, int[] lengths, boolean reverse) {
        Backend be = xProj.backend();
        int b = xProj.size(0);
        int t = xProj.size(1);
        int h = wHh.size(1);
        RecurrentDims d = new RecurrentDims(b, t, h, lengths, reverse);
        Tensor out = Tensor.zeros(be, b, t, h);
        Tensor hN = Tensor.zeros(be, b, h);
        Tensor gates = Tensor.zeros(be, b, t, 3 * h);
        Tensor hidN = Tensor.zeros(be, b, t, h);
        be.gruSequenceForward(d, buf(xProj), buf(wHh), buf(bHh), buf(h0), buf(out), buf(hN), buf(gates), buf(hidN));
        if (!wants(xProj, wHh, bHh, h0)) {
            gates.close();
            hidN.close();
            return new Tensor[] {out, hN};
        }
        return CustomOp.record("gruSequence", new Tensor[] {xProj, wHh, bHh, h0}, new Tensor[] {out, hN},
                new Tensor[] {gates, hidN}, g -> {
            Tensor gx = Tensor.zeros(be, b, t, 3 * h);
            Tensor gw = Tensor.zeros(be, 3 * h, h);
            Tensor gb = Tensor.zeros(be, 3 * h);
            Tensor gh0 = h0.requiresGrad() ? Tensor.zeros(be, b, h) : null;
            be.gruSequenceBackward(d, buf(wHh), buf(h0), buf(out), buf(gates), buf(hidN), buf(g[0]), buf(g[1]),
                    buf(gx), buf(gw), buf(gb), buf(gh0));
            return new Tensor[] {gx, wHh.requiresGrad() ? gw : null, bHh.requiresGrad() ? gb : null, gh0};
        });
    }

    /**
     * Elman RNN over one direction. @param xProj (B, T, H) = x W_ih^T + b_ih + b_hh
     * @return {out (B, T, H), hN (B, H)}
     */
    static Tensor[] rnn(RnnActivation act, Tensor xProj, Tensor wHh, Tensor h0, int[] lengths, boolean reverse) {
        Backend be = xProj.backend();
        int b = xProj.size(0);
        int t = xProj.size(1);
        int h = wHh.size(1);
        RecurrentDims d = new RecurrentDims(b, t, h, lengths, reverse);
        Tensor out = Tensor.zeros(be, b, t, h);
        Tensor hN = Tensor.zeros(be, b, h);
        be.rnnSequenceForward(d, act, buf(xProj), buf(wHh), buf(h0), buf(out), buf(hN));
        return CustomOp.record("rnnSequence", new Tensor[] {xProj, wHh, h0}, new Tensor[] {out, hN}, g -> {
            Tensor gx = Tensor.zeros(be, b, t, h);
            Tensor gw = Tensor.zeros(be, h, h);
            Tensor gh0 = h0.requiresGrad() ? Tensor.zeros(be, b, h) : null;
            be.rnnSequenceBackward(d, act, buf(wHh), buf(h0), buf(out), buf(g[0]), buf(g[1]), buf(gx), buf(gw),
                    buf(gh0));
            return new Tensor[] {gx, wHh.requiresGrad() ? gw : null, gh0};
        });
    }
}
