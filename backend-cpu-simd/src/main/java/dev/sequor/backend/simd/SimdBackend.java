package dev.sequor.backend.simd;

import dev.sequor.spi.AttentionBias;
import dev.sequor.spi.AttentionSpec;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RecurrentDims;
import dev.sequor.spi.RnnActivation;

/**
 * The {@code cpu-simd} backend: the primitives of {@link SimdPrimitives} plus fused-tier
 * overrides (layer norm, cross-entropy, blocked attention that visits only each query's window,
 * and recurrent sequences on a weight packed once per sequence), each checked by the conformance kit against what the default in core means.
 */
final class SimdBackend extends SimdPrimitives {

    SimdBackend(int threads) {
        super(threads);
    }

    private float[] optional(Buffer b, long n, String op, String what) {
        return b == null ? null : checked(b, 0, n, op, what);
    }

    /** Runs {@code rowTask} over {@code [0, rows)} in parallel parts of about {@link #PARALLEL_MIN} elements. */
    private void forRows(int rows, int cols, RangeTask rowTask) {
        forRange(rows, Math.max(1, PARALLEL_MIN / Math.max(1, cols)), rowTask);
    }

    @Override
    public void attentionForward(AttentionSpec spec, Buffer q, Buffer k, Buffer v,
                                 AttentionBias bias, Buffer out, Buffer lse) {
        SimdFlashAttention.forward(this, spec, q, k, v, bias, out, lse);
    }

    @Override
    public void attentionBackward(AttentionSpec spec, Buffer q, Buffer k, Buffer v,
                                  AttentionBias bias, Buffer out, Buffer lse, Buffer gradOut,
                                  Buffer gradQ, Buffer gradK, Buffer gradV) {
        SimdFlashAttention.backward(this, spec, q, k, v, bias, out, lse, gradOut, gradQ, gradK, gradV);
    }

    @Override
    public void layerNormForward(Buffer x, Buffer gamma, Buffer beta, int rows, int cols, float eps,
                                 Buffer y, Buffer mean, Buffer rstd) {
        String op = "layerNormForward";
        dims(rows, cols, 1, op);
        long n = (long) rows * cols;
        float[] xs = checked(x, 0, n, op, "x");
        float[] gs = optional(gamma, cols, op, "gamma");
        float[] bs = optional(beta, cols, op, "beta");
        float[] ys = checked(y, 0, n, op, "y");
        float[] ms = checked(mean, 0, rows, op, "mean");
        float[] rs = checked(rstd, 0, rows, op, "rstd");
        forRows(rows, cols, (f, t) -> {
            for (int r = (int) f; r < t; r++) {
                Fused.layerNormRow(xs, gs, bs, r, cols, eps, ys, ms, rs);
            }
        });
    }

    @Override
    public void layerNormBackward(Buffer gy, Buffer x, Buffer mean, Buffer rstd, Buffer gamma, int rows, int cols,
                                  Buffer gx, Buffer gGamma, Buffer gBeta) {
        String op = "layerNormBackward";
        dims(rows, cols, 1, op);
        long n = (long) rows * cols;
        float[] gys = checked(gy, 0, n, op, "gy");
        float[] xs = checked(x, 0, n, op, "x");
        float[] ms = checked(mean, 0, rows, op, "mean");
        float[] rs = checked(rstd, 0, rows, op, "rstd");
        float[] gs = optional(gamma, cols, op, "gamma");
        float[] gxs = optional(gx, n, op, "gx");
        float[] ggs = optional(gGamma, cols, op, "gGamma");
        float[] gbs = optional(gBeta, cols, op, "gBeta");
        if (gxs != null) {
            forRows(rows, cols, (f, t) -> {
                for (int r = (int) f; r < t; r++) {
                    Fused.layerNormGradRow(gys, xs, ms, rs, gs, r, cols, gxs);
                }
            });
        }
        if (ggs != null || gbs != null) {
            // Column sums: split by columns so no two parts add into the same output.
            forRange(cols, Math.max(16, PARALLEL_MIN / Math.max(1, rows)),
                    (f, t) -> Fused.layerNormParamGrads(gys, xs, ms, rs, rows, cols, (int) f, (int) t, ggs, gbs));
        }
    }

    @Override
    public void crossEntropyForward(Buffer logits, Buffer targets, int rows, int classes, int ignoreIndex,
                                    float labelSmoothing, Buffer loss, Buffer logProbs) {
        String op = "crossEntropyForward";
        dims(rows, classes, 1, op);
        long n = (long) rows * classes;
        float[] xs = checked(logits, 0, n, op, "logits");
        float[] ts = checked(targets, 0, rows, op, "targets");
        float[] ls = checked(loss, 0, rows, op, "loss");
        float[] lps = checked(logProbs, 0, n, op, "logProbs");
        forRows(rows, classes, (f, t) -> {
            for (int r = (int) f; r < t; r++) {
                Fused.crossEntropyRow(xs, ts, r, classes, ignoreIndex, labelSmoothing, ls, lps);
            }
        });
    }

    @Override
    public void crossEntropyBackward(Buffer logProbs, Buffer targets, Buffer gradLoss, int rows, int classes,
                                     int ignoreIndex, float labelSmoothing, Buffer gradLogits) {
        String op = "crossEntropyBackward";
        dims(rows, classes, 1, op);
        long n = (long) rows * classes;
        float[] lps = checked(logProbs, 0, n, op, "logProbs");
        float[] ts = checked(targets, 0, rows, op, "targets");
        float[] gls = checked(gradLoss, 0, rows, op, "gradLoss");
        float[] gxs = checked(gradLogits, 0, n, op, "gradLogits");
        forRows(rows, classes, (f, t) -> {
            for (int r = (int) f; r < t; r++) {
                Fused.crossEntropyGradRow(lps, ts, gls, r, classes, ignoreIndex, labelSmoothing, gxs);
            }
        });
    }

    // LSTM and GRU: forward and backward together in SimdLstm / SimdGru (one pool hand-off per
    // sequence, the backward's per-step GEMM on W_hh packed once).

    @Override
    public void lstmSequenceForward(RecurrentDims d, Buffer xProj, Buffer wHh, Buffer h0, Buffer c0,
                                    Buffer out, Buffer hN, Buffer cN, Buffer gates, Buffer cells) {
        SimdLstm.forward(this, d, xProj, wHh, h0, c0, out, hN, cN, gates, cells);
    }

    @Override
    public void lstmSequenceBackward(RecurrentDims d, Buffer wHh, Buffer h0, Buffer c0, Buffer out,
                                     Buffer gates, Buffer cells, Buffer gradOut, Buffer gradHN, Buffer gradCN,
                                     Buffer gradXProj, Buffer gradWhh, Buffer gradH0, Buffer gradC0) {
        SimdLstm.backward(this, d, wHh, h0, c0, out, gates, cells, gradOut, gradHN, gradCN, gradXProj, gradWhh,
                gradH0, gradC0);
    }

    @Override
    public void gruSequenceForward(RecurrentDims d, Buffer xProj, Buffer wHh, Buffer bHh, Buffer h0,
                                   Buffer out, Buffer hN, Buffer gates, Buffer hiddenN) {
        SimdGru.forward(this, d, xProj, wHh, bHh, h0, out, hN, gates, hiddenN);
    }

    @Override
    public void gruSequenceBackward(RecurrentDims d, Buffer wHh, Buffer h0, Buffer out, Buffer gates,
                                    Buffer hiddenN, Buffer gradOut, Buffer gradHN, Buffer gradXProj,
                                    Buffer gradWhh, Buffer gradBhh, Buffer gradH0) {
        SimdGru.backward(this, d, wHh, h0, out, gates, hiddenN, gradOut, gradHN, gradXProj, gradWhh, gradBhh, gradH0);
    }

    /** Overridden alone (the backward is the default): like the default, it saves nothing beyond {@code out}. */
    @Override
    public void rnnSequenceForward(RecurrentDims d, RnnActivation act, Buffer xProj, Buffer wHh, Buffer h0,
                                   Buffer out, Buffer hN) {
        String op = "rnnSequenceForward";
        long bh = (long) d.batch() * d.hidden();
        long bth = bh * d.steps();
        RnnForward.run(this, d, act, checked(xProj, 0, bth, op, "xProj"),
                checked(wHh, 0, (long) d.hidden() * d.hidden(), op, "wHh"), checked(h0, 0, bh, op, "h0"),
                checked(out, 0, bth, op, "out"), checked(hN, 0, bh, op, "hN"));
    }

}
