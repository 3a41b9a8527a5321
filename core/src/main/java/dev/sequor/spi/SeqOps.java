package dev.sequor.spi;


import java.util.ArrayList;
import java.util.List;

/**
 * Buffer-level helpers shared by the default recurrent kernels: scratch allocation, time-step
 * slices of {@code (B, T, W)} sequences, dense elementwise ops and per-row masks. Every method is a
 * handful of SPI primitive calls, so the defaults run unchanged on any backend.
 */
final class SeqOps implements AutoCloseable {

    final Primitives be;
    final int b;
    final int t;
    final int h;
    final long bh;
    private final List<Buffer> scratch = new ArrayList<>();
    private final float[] maskHost;
    final Buffer mask;

    SeqOps(Primitives be, RecurrentDims d) {
        this.be = be;
        this.b = d.batch();
        this.t = d.steps();
        this.h = d.hidden();
        this.bh = (long) b * h;
        this.maskHost = new float[b];
        this.mask = alloc(b);
    }

    Buffer alloc(long n) {
        Buffer buf = be.allocate(n);
        scratch.add(buf);
        return buf;
    }

    /** Uploads the 0/1 activity of every row at time {@code time} into {@link #mask}. */
    void loadMask(RecurrentDims d, int time) {
        for (int r = 0; r < b; r++) {
            maskHost[r] = d.active(r, time) ? 1f : 0f;
        }
        be.upload(maskHost, 0, mask, 0, b);
    }

    /** {@code dst (G, B, H) = src[:, time, :]} of a {@code (B, T, G*H)} sequence, gate-major. */
    void loadGates(Buffer src, int time, int gates, Buffer dst) {
        long w = (long) gates * h;
        be.copyStrided(src, time * w, new long[] {h, t * w, 1}, dst, 0, new long[] {bh, h, 1},
                new int[] {gates, b, h});
    }

    /** {@code dst[:, time, :] = src (G, B, H)} of a {@code (B, T, G*H)} sequence. */
    void storeGates(Buffer src, int gates, Buffer dst, int time) {
        long w = (long) gates * h;
        be.copyStrided(src, 0, new long[] {bh, h, 1}, dst, time * w, new long[] {h, t * w, 1},
                new int[] {gates, b, h});
    }

    /** @return the rows of a {@code (B, T, cols)} sequence at {@code time}, as a GEMM operand */
    MatrixView stepView(Buffer seq, int time, int cols) {
        return new MatrixView(seq, (long) time * cols, t * cols, 0);
    }

    static MatrixView dense(Buffer buf, int cols) {
        return MatrixView.of(buf, cols);
    }

    /** {@code out = a op b} over {@code n} dense elements from offset 0; out may alias a or b. */
    void op(BinaryOp op, Buffer a, Buffer bb, Buffer out, long n) {
        int[] shape = {Math.toIntExact(n)};
        be.binary(op, a, new long[] {1}, bb, new long[] {1}, out, shape);
    }

    void mul(Buffer a, Buffer bb, Buffer out) {
        op(BinaryOp.MUL, a, bb, out, bh);
    }

    void add(Buffer a, Buffer bb, Buffer out) {
        op(BinaryOp.ADD, a, bb, out, bh);
    }

    void sub(Buffer a, Buffer bb, Buffer out) {
        op(BinaryOp.SUB, a, bb, out, bh);
    }

    /** {@code out = y (1 - y)}: the sigmoid derivative from its output. */
    void sigmoidGrad(Buffer y, Buffer out) {
        be.affine(y, -1f, 1f, out, bh);
        mul(out, y, out);
    }

    /** {@code out = 1 - y^2}: the tanh derivative from its output. */
    void tanhGrad(Buffer y, Buffer out) {
        mul(y, y, out);
        be.affine(out, -1f, 1f, out, bh);
    }

    /** Zeroes the rows of a {@code (G, B, H)} buffer whose mask is 0. */
    void maskRows(Buffer x, int gates) {
        be.binary(BinaryOp.MUL, x, new long[] {bh, h, 1}, mask, new long[] {0, 1, 0}, x, new int[] {gates, b, h});
    }

    /** {@code out = mask ? a : other} row by row; out must differ from both. */
    void select(Buffer a, Buffer other, Buffer out) {
        be.where(mask, new long[] {1, 0}, a, new long[] {h, 1}, other, new long[] {h, 1}, out,
                new int[] {b, h});
    }

    /** {@code keep = mask ? fresh : keep} row by row, for state of inactive sequences. */
    void carry(Buffer fresh, Buffer keep, Buffer tmp) {
        select(fresh, keep, tmp);
        be.copy(tmp, 0, keep, 0, bh);
    }

    /** {@code dst = src[:, time, :]} of a {@code (B, T, H)} sequence. */
    void loadStep(Buffer src, int time, Buffer dst) {
        loadGates(src, time, 1, dst);
    }

    /** {@code dst[:, time, :] = src} of a {@code (B, T, H)} sequence. */
    void storeStep(Buffer src, Buffer dst, int time) {
        storeGates(src, 1, dst, time);
    }

    /**
     * The state a step at {@code time} started from, for backward: the output or cell saved at the
     * previously visited time, or the initial state where that was the sequence's first step.
     * Overwrites {@link #mask}: load the current step's mask after this.
     */
    /**
     * The prologue every recurrent backward step shares: fetches {@code h_{t-1}} into {@code hPrev}
     * and records it in {@code hPrevAll} (for the final dW_hh GEMM), loads the step's length mask
     * when some rows are inactive, and sets {@code dhT = dh + gradOut[:, t]} (the gradient reaching
     * {@code h_t} from later steps and from the output).
     *
     * @return whether every row is active at this step (no mask needed)
     */
    boolean beginBackwardStep(RecurrentDims d, int step, Buffer out, Buffer h0, Buffer hPrev, Buffer hPrevAll,
                              Buffer gradOut, Buffer dh, Buffer dhT, Buffer tmp) {
        int time = d.time(step);
        boolean all = d.allActive(time);
        previous(d, step, out, h0, hPrev, tmp);
        storeStep(hPrev, hPrevAll, time);
        if (!all) {
            loadMask(d, time);
        }
        if (gradOut != null) {
            loadStep(gradOut, time, tmp);
            add(dh, tmp, dhT);
        } else {
            be.copy(dh, 0, dhT, 0, bh);
        }
        return all;
    }

    void previous(RecurrentDims d, int s, Buffer saved, Buffer initial, Buffer dst, Buffer tmp) {
        if (s == 0) {
            be.copy(initial, 0, dst, 0, bh);
            return;
        }
        int prev = d.time(s - 1);
        loadStep(saved, prev, dst);
        if (!d.allActive(prev)) {
            // a sequence inactive at the previous time (reverse direction) starts here from the initial state
            loadMask(d, prev);
            select(dst, initial, tmp);
            be.copy(tmp, 0, dst, 0, bh);
        }
    }

    @Override
    public void close() {
        for (Buffer buf : scratch) {
            buf.close();
        }
        scratch.clear();
    }
}
