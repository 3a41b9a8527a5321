package dev.sequor.backend.opencl;

import dev.sequor.spi.Buffer;
import dev.sequor.spi.MatrixView;
import dev.sequor.spi.RecurrentDims;
import org.jocl.cl_mem;

/**
 * The LSTM and GRU sequence forwards as two launches per step: the recurrent GEMM against a W_hh
 * prepared once for the whole sequence (packed once on CPU devices, where the default packed it
 * every step) and one pointwise cell kernel, instead of the defaults' ~20 primitive calls per step.
 * They write exactly the saved contents the defaults describe (activated gates, c_t or p_n), so the
 * default backwards read them unchanged; the kit checks outputs and gradients of each pair.
 */
final class RecurrentKernels {

    private final OpenClBackend owner;
    private final ClRuntime rt;
    private final ClGemm gemm;

    RecurrentKernels(OpenClBackend owner, ClRuntime rt, ClGemm gemm) {
        this.owner = owner;
        this.rt = rt;
        this.gemm = gemm;
    }

    void lstmForward(RecurrentDims d, Buffer xProj, Buffer wHh, Buffer h0, Buffer c0,
                     Buffer out, Buffer hN, Buffer cN, Buffer gates, Buffer cells) {
        String op = "lstmSequenceForward";
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        long bh = (long) b * h;
        long bth = bh * t;
        cl_mem xm = input(op, "xProj", xProj, 4 * bth);
        input(op, "wHh", wHh, 4L * h * h);
        input(op, "h0", h0, bh);
        input(op, "c0", c0, bh);
        cl_mem om = input(op, "out", out, bth);
        input(op, "hN", hN, bh);
        input(op, "cN", cN, bh);
        cl_mem gm = input(op, "gates", gates, 4 * bth);
        cl_mem cm = input(op, "cells", cells, bth);
        try (Buffer hc = owner.allocate(bh); Buffer cc = owner.allocate(bh); Buffer rec = owner.allocate(4 * bh);
             Buffer lengths = lengths(d)) {
            boolean useLengths = d.lengths() != null;
            owner.copy(h0, 0, hc, 0, bh);
            owner.copy(c0, 0, cc, 0, bh);
            cl_mem hcm = Checks.mem(owner, op, "h", hc);
            cl_mem ccm = Checks.mem(owner, op, "c", cc);
            cl_mem recm = Checks.mem(owner, op, "rec", rec);
            cl_mem lm = Checks.mem(owner, op, "lengths", lengths);
            synchronized (rt) {
                // rec = h_{t-1} W_hh^T: (B, H) x (H, 4H), W_hh stored (4H, H)
                try (ClGemm.PreparedB w = gemm.prepare(owner, true, 4 * h, h, MatrixView.of(wHh, h))) {
                    for (int step = 0; step < t; step++) {
                        int time = d.time(step);
                        w.multiply(b, 1f, MatrixView.of(hc, h), hcm, 0f, MatrixView.of(rec, 4 * h), recm);
                        rt.launch1("lstm_cell", bh, recm, xm, lm, useLengths ? 1 : 0, b, t, h, time, hcm, ccm,
                                om, gm, cm);
                    }
                }
            }
            owner.copy(hc, 0, hN, 0, bh);
            owner.copy(cc, 0, cN, 0, bh);
        }
    }

    void gruForward(RecurrentDims d, Buffer xProj, Buffer wHh, Buffer bHh, Buffer h0,
                    Buffer out, Buffer hN, Buffer gates, Buffer hiddenN) {
        String op = "gruSequenceForward";
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        long bh = (long) b * h;
        long bth = bh * t;
        cl_mem xm = input(op, "xProj", xProj, 3 * bth);
        input(op, "wHh", wHh, 3L * h * h);
        cl_mem bm = input(op, "bHh", bHh, 3L * h);
        input(op, "h0", h0, bh);
        cl_mem om = input(op, "out", out, bth);
        input(op, "hN", hN, bh);
        cl_mem gm = input(op, "gates", gates, 3 * bth);
        cl_mem nm = input(op, "hiddenN", hiddenN, bth);
        try (Buffer hc = owner.allocate(bh); Buffer rec = owner.allocate(3 * bh); Buffer lengths = lengths(d)) {
            owner.copy(h0, 0, hc, 0, bh);
            cl_mem hcm = Checks.mem(owner, op, "h", hc);
            cl_mem recm = Checks.mem(owner, op, "rec", rec);
            cl_mem lm = Checks.mem(owner, op, "lengths", lengths);
            synchronized (rt) {
                // rec = h_{t-1} W_hh^T: (B, H) x (H, 3H), W_hh stored (3H, H)
                try (ClGemm.PreparedB w = gemm.prepare(owner, true, 3 * h, h, MatrixView.of(wHh, h))) {
                    for (int step = 0; step < t; step++) {
                        w.multiply(b, 1f, MatrixView.of(hc, h), hcm, 0f, MatrixView.of(rec, 3 * h), recm);
                        rt.launch1("gru_cell", bh, recm, bm, xm, lm, d.lengths() != null ? 1 : 0, b, t, h,
                                d.time(step), hcm, om, gm, nm);
                    }
                }
            }
            owner.copy(hc, 0, hN, 0, bh);
        }
    }

    /** @return the sequence lengths as floats on the device (one unused element when all are full) */
    Buffer lengths(RecurrentDims d) {
        int b = d.batch();
        Buffer lengths = owner.allocate(b);
        if (d.lengths() != null) {
            float[] l = new float[b];
            for (int r = 0; r < b; r++) {
                l[r] = d.lengths()[r];
            }
            owner.upload(l, 0, lengths, 0, b);
        }
        return lengths;
    }

    private cl_mem input(String op, String role, Buffer b, long n) {
        cl_mem m = Checks.mem(owner, op, role, b);
        Checks.range(op, role, 0, n, b.length());
        return m;
    }
}
