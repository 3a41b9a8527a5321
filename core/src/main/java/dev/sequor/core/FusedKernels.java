package dev.sequor.core;

import dev.sequor.spi.AttentionBias;
import dev.sequor.spi.AttentionSpec;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.Conv2dShape;
import dev.sequor.spi.RecurrentDims;
import dev.sequor.spi.RnnActivation;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The one place where a Tensor-level op calls one of the backend's fused kernels: each call
 * allocates the outputs, runs the fused forward, and records ONE autograd node (via {@link CustomOp})
 * whose backward is the backend's fused backward. Layers call these with tensors and never see a
 * {@link Buffer}. Shapes are checked by the layers before they get here.
 */
public final class FusedKernels {

    private FusedKernels() {
    }

    private static Buffer buf(Tensor t) {
        return t == null ? null : t.buffer("fused kernel");
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
     * LSTM over one direction (gates i, f, g, o). @param xProj (B, T, 4H) = x W_ih^T + b_ih + b_hh
     * @param wHh (4H, H); @param h0 (B, H); @param c0 (B, H); @param lengths per-row lengths or null
     * @return {out (B, T, H), hN (B, H), cN (B, H)}
     */
    public static Tensor[] lstm(Tensor xProj, Tensor wHh, Tensor h0, Tensor c0, int[] lengths, boolean reverse) {
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
     * @param wHh   (3H, H)
     * @param bHh   (3H) recurrent bias
     * @param h0    (B, H)
     * @return {out (B, T, H), hN (B, H)}
     */
    public static Tensor[] gru(Tensor xProj, Tensor wHh, Tensor bHh, Tensor h0, int[] lengths, boolean reverse) {
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
     * @param wHh (H, H); @param h0 (B, H)
     * @return {out (B, T, H), hN (B, H)}
     */
    public static Tensor[] rnn(RnnActivation act, Tensor xProj, Tensor wHh, Tensor h0, int[] lengths,
                               boolean reverse) {
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

    /**
     * 2-D cross-correlation {@code y[b, o] = bias[o] + sum_c weight[o, c] (*) xpad[b, c]}.
     * @param x (B, C, H, W); @param weight (O, C, kH, kW); @param bias (O) or null
     * @return (B, O, outH, outW)
     */
    public static Tensor conv2d(Conv2dShape s, Tensor x, Tensor weight, Tensor bias) {
        Backend be = x.backend();
        Tensor y = Tensor.zeros(be, s.batch(), s.outChannels(), s.outH(), s.outW());
        be.conv2dForward(s, buf(x), buf(weight), buf(bias), buf(y));
        return CustomOp.record("conv2d", new Tensor[] {x, weight, bias}, new Tensor[] {y}, g -> {
            Tensor gx = x.requiresGrad() ? x.zerosLike() : null;
            Tensor gw = weight.requiresGrad() ? weight.zerosLike() : null;
            Tensor gb = bias != null && bias.requiresGrad() ? bias.zerosLike() : null;
            be.conv2dBackward(s, buf(x), buf(weight), buf(g[0]), buf(gx), buf(gw), buf(gb));
            return new Tensor[] {gx, gw, gb};
        })[0];
    }

    /**
     * Scaled dot-product attention {@code softmax(Q K^T * scale + M) V} as {@code spec} describes it.
     *
     * @param q            (B, L, E) or (B, H, L, E)
     * @param k            (B, S, E) or (B, H, S, E)
     * @param v            (B, S, Ev) or (B, H, S, Ev)
     * @param maskBias     the additive mask M, or null
     * @param maskStrides  M's strides over (batch, heads, L, S) (0 where it broadcasts); ignored without M
     * @param maskGradient maps the output gradient to M's gradient (run unrecorded in the backward),
     *                     consulted only when M requires a gradient
     * @return {out (.., L, Ev), lse (.., L)}: the output and each row's log-sum-exp of the scores
     */
    public static Tensor[] attention(AttentionSpec spec, Tensor q, Tensor k, Tensor v, Tensor maskBias,
                                     long[] maskStrides, Function<Tensor, Tensor> maskGradient) {
        Backend be = q.backend();
        int[] qs = q.shape();
        int rank = qs.length;
        AttentionBias bias = maskBias == null ? null : new AttentionBias(buf(maskBias), maskStrides);
        int[] outShape = qs.clone();
        outShape[rank - 1] = v.size(-1);
        Tensor out = Tensor.zeros(be, outShape);
        Tensor lse = Tensor.zeros(be, Arrays.copyOf(qs, rank - 1));
        be.attentionForward(spec, buf(q), buf(k), buf(v), bias, buf(out), buf(lse));
        CustomOp.record("scaledDotProductAttention", out, g -> {
            Tensor gq = Tensor.zeros(be, qs);
            Tensor gk = Tensor.zeros(be, k.shape());
            Tensor gv = Tensor.zeros(be, v.shape());
            be.attentionBackward(spec, buf(q), buf(k), buf(v), bias, buf(out), buf(lse), buf(g), buf(gq), buf(gk),
                    buf(gv));
            Tensor gm = maskBias != null && maskBias.requiresGrad() ? maskGradient.apply(g) : null;
            return new Tensor[] {q.requiresGrad() ? gq : null, k.requiresGrad() ? gk : null,
                v.requiresGrad() ? gv : null, gm};
        }, q, k, v, maskBias);
        return new Tensor[] {out, lse};
    }
}
