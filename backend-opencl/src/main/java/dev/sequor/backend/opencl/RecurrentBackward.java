package dev.sequor.backend.opencl;

import dev.sequor.spi.Buffer;
import dev.sequor.spi.MatrixView;
import dev.sequor.spi.ReduceOp;
import dev.sequor.spi.RecurrentDims;
import dev.sequor.spi.RnnActivation;
import org.jocl.cl_mem;

/**
 * The LSTM, GRU and Elman RNN whole-sequence backwards on the device ({@code recurrent_bwd.cl}): per
 * step one pointwise kernel (the gate gradients {@code da_t}, written straight into {@code gradXProj},
 * and {@code h_{t-1}} recorded for {@code dW_hh}), the GEMM {@code dh_{t-1} = da_t W_hh} against a
 * W_hh prepared once per sequence, and a carry kernel that keeps the gradient of rows inactive at t;
 * then one GEMM for {@code dW_hh = sum_t da_t^T h_{t-1}} over all B*T rows. The defaults take ~25
 * primitive calls and several host uploads per step.
 *
 * <p>These read the saved buffers in the SPI defaults' layout (LSTM: activated gates and c_t; GRU:
 * [r, z, n] and p_n; RNN: h_t in {@code out}), which is what both this backend's forwards
 * ({@link RecurrentKernels}) and the default forwards write, so any pairing of forward and backward
 * is correct, as the rule for overriding one half alone requires.
 */
final class RecurrentBackward {

    private final OpenClBackend owner;
    private final ClRuntime rt;
    private final ClGemm gemm;
    private final RecurrentKernels forward;

    RecurrentBackward(OpenClBackend owner, ClRuntime rt, ClGemm gemm, RecurrentKernels forward) {
        this.owner = owner;
        this.rt = rt;
        this.gemm = gemm;
        this.forward = forward;
    }

    void lstm(RecurrentDims d, Buffer wHh, Buffer h0, Buffer c0, Buffer out, Buffer gates, Buffer cells,
              Buffer gradOut, Buffer gradHN, Buffer gradCN, Buffer gradXProj, Buffer gradWhh, Buffer gradH0,
              Buffer gradC0) {
        String op = "lstmSequenceBackward";
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        long bh = (long) b * h;
        long bth = bh * t;
        input(op, "wHh", wHh, 4L * h * h);
        cl_mem h0m = input(op, "h0", h0, bh);
        cl_mem c0m = input(op, "c0", c0, bh);
        cl_mem om = input(op, "out", out, bth);
        cl_mem gm = input(op, "gates", gates, 4 * bth);
        cl_mem cm = input(op, "cells", cells, bth);
        cl_mem gom = gradOut == null ? om : input(op, "gradOut", gradOut, bth);
        cl_mem gxm = input(op, "gradXProj", gradXProj, 4 * bth);
        input(op, "gradWhh", gradWhh, 4L * h * h);
        try (Buffer dh = owner.allocate(bh); Buffer dc = owner.allocate(bh); Buffer rec = owner.allocate(bh);
             Buffer hPrev = owner.allocate(bth); Buffer lengths = forward.lengths(d)) {
            start(op, gradHN, dh, bh);
            start(op, gradCN, dc, bh);
            cl_mem dhm = Checks.mem(owner, op, "dh", dh);
            cl_mem dcm = Checks.mem(owner, op, "dc", dc);
            cl_mem recm = Checks.mem(owner, op, "rec", rec);
            cl_mem hpm = Checks.mem(owner, op, "hPrev", hPrev);
            cl_mem lm = Checks.mem(owner, op, "lengths", lengths);
            int useLengths = d.lengths() != null ? 1 : 0;
            synchronized (rt) {
                // rec = da_t W_hh: (B, 4H) x (4H, H)
                try (ClGemm.PreparedB w = gemm.prepare(owner, false, h, 4 * h, MatrixView.of(wHh, h))) {
                    for (int step = t - 1; step >= 0; step--) {
                        int time = d.time(step);
                        int prev = step > 0 ? d.time(step - 1) : -1;
                        rt.launch1("lstm_bwd_cell", bh, gm, cm, om, h0m, c0m, gom, gradOut != null ? 1 : 0, lm,
                                useLengths, b, t, h, time, prev, dhm, dcm, gxm, hpm);
                        w.multiply(b, 1f, new MatrixView(gradXProj, (long) time * 4 * h, t * 4 * h, 0), gxm, 0f,
                                MatrixView.of(rec, h), recm);
                        rt.launch1("rnn_carry", bh, recm, lm, useLengths, b, h, time, dhm);
                    }
                }
            }
            // dW_hh = sum_t da_t^T h_{t-1}: (4H, B*T) x (B*T, H)
            owner.gemm(true, false, 1, 4 * h, h, b * t, 1f, MatrixView.of(gradXProj, 4 * h), MatrixView.of(hPrev, h),
                    0f, MatrixView.of(gradWhh, h));
            finish(op, dh, gradH0, bh);
            finish(op, dc, gradC0, bh);
        }
    }

    void gru(RecurrentDims d, Buffer wHh, Buffer h0, Buffer out, Buffer gates, Buffer hiddenN, Buffer gradOut,
             Buffer gradHN, Buffer gradXProj, Buffer gradWhh, Buffer gradBhh, Buffer gradH0) {
        String op = "gruSequenceBackward";
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        long bh = (long) b * h;
        long bth = bh * t;
        input(op, "wHh", wHh, 3L * h * h);
        cl_mem h0m = input(op, "h0", h0, bh);
        cl_mem om = input(op, "out", out, bth);
        cl_mem gm = input(op, "gates", gates, 3 * bth);
        cl_mem nm = input(op, "hiddenN", hiddenN, bth);
        cl_mem gom = gradOut == null ? om : input(op, "gradOut", gradOut, bth);
        cl_mem gxm = input(op, "gradXProj", gradXProj, 3 * bth);
        input(op, "gradWhh", gradWhh, 3L * h * h);
        input(op, "gradBhh", gradBhh, 3L * h);
        try (Buffer dh = owner.allocate(bh); Buffer rec = owner.allocate(bh); Buffer dP = owner.allocate(3 * bth);
             Buffer hPrev = owner.allocate(bth); Buffer lengths = forward.lengths(d)) {
            start(op, gradHN, dh, bh);
            cl_mem dhm = Checks.mem(owner, op, "dh", dh);
            cl_mem recm = Checks.mem(owner, op, "rec", rec);
            cl_mem dpm = Checks.mem(owner, op, "dP", dP);
            cl_mem hpm = Checks.mem(owner, op, "hPrev", hPrev);
            cl_mem lm = Checks.mem(owner, op, "lengths", lengths);
            int useLengths = d.lengths() != null ? 1 : 0;
            synchronized (rt) {
                // rec = dh_t z + dp_t W_hh: (B, 3H) x (3H, H) accumulated onto dh_t z
                try (ClGemm.PreparedB w = gemm.prepare(owner, false, h, 3 * h, MatrixView.of(wHh, h))) {
                    for (int step = t - 1; step >= 0; step--) {
                        int time = d.time(step);
                        int prev = step > 0 ? d.time(step - 1) : -1;
                        rt.launch1("gru_bwd_cell", bh, gm, nm, om, h0m, gom, gradOut != null ? 1 : 0, lm, useLengths,
                                b, t, h, time, prev, dhm, recm, gxm, dpm, hpm);
                        w.multiply(b, 1f, new MatrixView(dP, (long) time * 3 * h, t * 3 * h, 0), dpm, 1f,
                                MatrixView.of(rec, h), recm);
                        rt.launch1("rnn_carry", bh, recm, lm, useLengths, b, h, time, dhm);
                    }
                }
            }
            // dW_hh = sum_t dp_t^T h_{t-1}: (3H, B*T) x (B*T, H); db_hh = sum over the B*T rows of dp
            owner.gemm(true, false, 1, 3 * h, h, b * t, 1f, MatrixView.of(dP, 3 * h), MatrixView.of(hPrev, h),
                    0f, MatrixView.of(gradWhh, h));
            owner.reduce(ReduceOp.SUM, dP, 1, b * t, 3 * h, gradBhh);
            finish(op, dh, gradH0, bh);
        }
    }

    void rnn(RecurrentDims d, RnnActivation act, Buffer wHh, Buffer h0, Buffer out, Buffer gradOut, Buffer gradHN,
             Buffer gradXProj, Buffer gradWhh, Buffer gradH0) {
        String op = "rnnSequenceBackward";
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        long bh = (long) b * h;
        long bth = bh * t;
        input(op, "wHh", wHh, (long) h * h);
        cl_mem h0m = input(op, "h0", h0, bh);
        cl_mem om = input(op, "out", out, bth);
        cl_mem gom = gradOut == null ? om : input(op, "gradOut", gradOut, bth);
        cl_mem gxm = input(op, "gradXProj", gradXProj, bth);
        input(op, "gradWhh", gradWhh, (long) h * h);
        try (Buffer dh = owner.allocate(bh); Buffer rec = owner.allocate(bh); Buffer hPrev = owner.allocate(bth);
             Buffer lengths = forward.lengths(d)) {
            start(op, gradHN, dh, bh);
            cl_mem dhm = Checks.mem(owner, op, "dh", dh);
            cl_mem recm = Checks.mem(owner, op, "rec", rec);
            cl_mem hpm = Checks.mem(owner, op, "hPrev", hPrev);
            cl_mem lm = Checks.mem(owner, op, "lengths", lengths);
            int useLengths = d.lengths() != null ? 1 : 0;
            int relu = act == RnnActivation.RELU ? 1 : 0;
            synchronized (rt) {
                try (ClGemm.PreparedB w = gemm.prepare(owner, false, h, h, MatrixView.of(wHh, h))) {
                    for (int step = t - 1; step >= 0; step--) {
                        int time = d.time(step);
                        int prev = step > 0 ? d.time(step - 1) : -1;
                        rt.launch1("rnn_bwd_cell", bh, om, h0m, gom, gradOut != null ? 1 : 0, lm, useLengths, relu,
                                b, t, h, time, prev, dhm, gxm, hpm);
                        w.multiply(b, 1f, new MatrixView(gradXProj, (long) time * h, t * h, 0), gxm, 0f,
                                MatrixView.of(rec, h), recm);
                        rt.launch1("rnn_carry", bh, recm, lm, useLengths, b, h, time, dhm);
                    }
                }
            }
            owner.gemm(true, false, 1, h, h, b * t, 1f, MatrixView.of(gradXProj, h), MatrixView.of(hPrev, h),
                    0f, MatrixView.of(gradWhh, h));
            finish(op, dh, gradH0, bh);
        }
    }

    /** Starts a carried gradient from the given final-state gradient, or zero (a fresh buffer) when null. */
    private void start(String op, Buffer gradFinal, Buffer carried, long n) {
        if (gradFinal != null) {
            input(op, "final-state gradient", gradFinal, n);
            owner.copy(gradFinal, 0, carried, 0, n);
        }
    }

    private void finish(String op, Buffer carried, Buffer gradInitial, long n) {
        if (gradInitial != null) {
            input(op, "initial-state gradient", gradInitial, n);
            owner.copy(carried, 0, gradInitial, 0, n);
        }
    }

    private cl_mem input(String op, String role, Buffer b, long n) {
        cl_mem m = Checks.mem(owner, op, role, b);
        Checks.range(op, role, 0, n, b.length());
        return m;
    }
}
