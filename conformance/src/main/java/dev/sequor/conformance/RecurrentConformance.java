package dev.sequor.conformance;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RecurrentDims;
import dev.sequor.spi.RnnActivation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.sequor.conformance.KitAssertions.assertClose;

/**
 * The fused whole-sequence recurrent kernels ({@link Backend#lstmSequenceForward},
 * {@link Backend#lstmSequenceBackward} and the GRU and RNN pairs) against {@link RecurrentOracle}:
 * both directions, full and variable lengths (including length 1 and a batch of one), with and
 * without upstream gradients of the final states. Outputs, final states and every gradient are
 * checked; the "saved" buffers are the backend's own business (an override may store anything
 * there, as long as its backward reads it), so they pass from the backend's forward to its
 * backward unchecked. Held to {@link OpFamily#FUSED}.
 */
public interface RecurrentConformance extends BackendUnderTest {

    /**
     * {B, T, H} shapes, each run with full lengths and with {@link #lengthsFor}. The last one is wide
     * enough (H = 37: two 16-lane vectors and a tail; B = 9: more than one 8-row block) to reach the
     * vector loops and batch splits of a SIMD override, which the small ones never enter.
     */
    int[][] SHAPES = {{3, 5, 4}, {1, 1, 3}, {2, 7, 9}, {4, 3, 1}, {9, 4, 37}};

    /** @return mixed lengths in [1, T] for a batch of b, or null when b == 1 (kept full) */
    static int[] lengthsFor(int b, int t) {
        if (b == 1) {
            return null;
        }
        int[] l = new int[b];
        for (int i = 0; i < b; i++) {
            l[i] = i % 2 == 0 ? t : 1 + (i * 3) % t;
        }
        l[b - 1] = 1;
        return l;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lstm", "gru", "rnn-tanh", "rnn-relu"})
    default void sequenceForwardAndBackward(String kind) {
        for (int[] s : SHAPES) {
            for (boolean variable : new boolean[] {false, true}) {
                for (boolean reverse : new boolean[] {false, true}) {
                    for (boolean stateGrads : new boolean[] {true, false}) {
                        int[] lengths = variable ? lengthsFor(s[0], s[1]) : null;
                        check(kind, s[0], s[1], s[2], lengths, reverse, stateGrads);
                    }
                }
            }
        }
    }

    private void check(String kind, int b, int t, int h, int[] lengths, boolean reverse, boolean stateGrads) {
        Backend be = backend();
        int g = kind.equals("lstm") ? 4 : kind.equals("gru") ? 3 : 1;
        long seed = 31L * b + 7L * t + h + (reverse ? 1000 : 0) + (lengths == null ? 0 : 2000);
        float[] xProj = Inputs.uniform(seed, b * t * g * h, -1.5f, 1.5f);
        float[] w = Inputs.uniform(seed + 1, g * h * h, -0.8f, 0.8f);
        float[] bHh = Inputs.uniform(seed + 2, g * h, -0.5f, 0.5f);
        float[] h0 = Inputs.uniform(seed + 3, b * h, -1, 1);
        float[] c0 = Inputs.uniform(seed + 4, b * h, -1, 1);
        float[] gOut = Inputs.uniform(seed + 5, b * t * h, -1, 1);
        float[] gHN = stateGrads ? Inputs.uniform(seed + 6, b * h, -1, 1) : null;
        float[] gCN = stateGrads ? Inputs.uniform(seed + 7, b * h, -1, 1) : null;
        String what = kind + " B=" + b + " T=" + t + " H=" + h + " lengths=" + Arrays.toString(lengths)
                + (reverse ? " reverse" : "") + (stateGrads ? "" : " (no state gradients)");
        RecurrentOracle o = new RecurrentOracle(kind, b, t, h, lengths, reverse, xProj, w, bHh, h0, c0);
        o.backward(gOut, gHN, kind.equals("lstm") ? gCN : null);
        RecurrentDims d = new RecurrentDims(b, t, h, lengths, reverse);
        List<Buffer> bufs = new ArrayList<>();
        try {
            Buffer x = keep(bufs, upload(xProj));
            Buffer wb = keep(bufs, upload(w));
            Buffer hb0 = keep(bufs, upload(h0));
            Buffer out = keep(bufs, be.allocate((long) b * t * h));
            Buffer hN = keep(bufs, be.allocate((long) b * h));
            Buffer gx = keep(bufs, be.allocate((long) b * t * g * h));
            Buffer gw = keep(bufs, be.allocate((long) g * h * h));
            Buffer gh0 = keep(bufs, be.allocate((long) b * h));
            Buffer go = keep(bufs, upload(gOut));
            Buffer ghn = gHN == null ? null : keep(bufs, upload(gHN));
            Tolerance tol = tolerance(OpFamily.FUSED);
            switch (kind) {
                case "lstm" -> {
                    Buffer cb0 = keep(bufs, upload(c0));
                    Buffer cN = keep(bufs, be.allocate((long) b * h));
                    Buffer gates = keep(bufs, be.allocate((long) b * t * 4 * h));
                    Buffer cells = keep(bufs, be.allocate((long) b * t * h));
                    Buffer gcn = gCN == null ? null : keep(bufs, upload(gCN));
                    Buffer gc0 = keep(bufs, be.allocate((long) b * h));
                    be.lstmSequenceForward(d, x, wb, hb0, cb0, out, hN, cN, gates, cells);
                    assertClose(download(cN), o.cN, tol, what + ": cN");
                    be.lstmSequenceBackward(d, wb, hb0, cb0, out, gates, cells, go, ghn, gcn, gx, gw, gh0, gc0);
                    assertClose(download(gc0), o.gradC0, tol, what + ": gradC0");
                }
                case "gru" -> {
                    Buffer bb = keep(bufs, upload(bHh));
                    Buffer gates = keep(bufs, be.allocate((long) b * t * 3 * h));
                    Buffer hid = keep(bufs, be.allocate((long) b * t * h));
                    Buffer gb = keep(bufs, be.allocate(3L * h));
                    be.gruSequenceForward(d, x, wb, bb, hb0, out, hN, gates, hid);
                    be.gruSequenceBackward(d, wb, hb0, out, gates, hid, go, ghn, gx, gw, gb, gh0);
                    assertClose(download(gb), o.gradBhh, tol, what + ": gradBhh");
                }
                default -> {
                    RnnActivation act = kind.equals("rnn-tanh") ? RnnActivation.TANH : RnnActivation.RELU;
                    be.rnnSequenceForward(d, act, x, wb, hb0, out, hN);
                    be.rnnSequenceBackward(d, act, wb, hb0, out, go, ghn, gx, gw, gh0);
                }
            }
            assertClose(download(out), o.out, tol, what + ": out");
            assertClose(download(hN), o.hN, tol, what + ": hN");
            assertClose(download(gx), o.gradXProj, tol, what + ": gradXProj");
            assertClose(download(gw), o.gradWhh, tol, what + ": gradWhh");
            assertClose(download(gh0), o.gradH0, tol, what + ": gradH0");
        } finally {
            for (Buffer buf : bufs) {
                buf.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lstm", "gru", "rnn-tanh"})
    default void backwardLeavesGradientsOfUnwantedStatesAlone(String kind) {
        // gradH0/gradC0 may be null: the kernel must still produce the other gradients
        Backend be = backend();
        int b = 2;
        int t = 3;
        int h = 2;
        int g = kind.equals("lstm") ? 4 : kind.equals("gru") ? 3 : 1;
        float[] xProj = Inputs.uniform(1, b * t * g * h, -1, 1);
        float[] w = Inputs.uniform(2, g * h * h, -1, 1);
        float[] bHh = Inputs.uniform(3, g * h, -1, 1);
        float[] h0 = Inputs.uniform(4, b * h, -1, 1);
        float[] gOut = Inputs.uniform(5, b * t * h, -1, 1);
        RecurrentOracle o = new RecurrentOracle(kind, b, t, h, null, false, xProj, w, bHh, h0, h0);
        o.backward(gOut, null, null);
        RecurrentDims d = new RecurrentDims(b, t, h, null, false);
        List<Buffer> bufs = new ArrayList<>();
        try {
            Buffer x = keep(bufs, upload(xProj));
            Buffer wb = keep(bufs, upload(w));
            Buffer hb0 = keep(bufs, upload(h0));
            Buffer out = keep(bufs, be.allocate((long) b * t * h));
            Buffer hN = keep(bufs, be.allocate((long) b * h));
            Buffer gx = keep(bufs, be.allocate((long) b * t * g * h));
            Buffer gw = keep(bufs, be.allocate((long) g * h * h));
            Buffer go = keep(bufs, upload(gOut));
            if (kind.equals("lstm")) {
                Buffer cN = keep(bufs, be.allocate((long) b * h));
                Buffer gates = keep(bufs, be.allocate((long) b * t * 4 * h));
                Buffer cells = keep(bufs, be.allocate((long) b * t * h));
                be.lstmSequenceForward(d, x, wb, hb0, hb0, out, hN, cN, gates, cells);
                be.lstmSequenceBackward(d, wb, hb0, hb0, out, gates, cells, go, null, null, gx, gw, null, null);
            } else if (kind.equals("gru")) {
                Buffer bb = keep(bufs, upload(bHh));
                Buffer gates = keep(bufs, be.allocate((long) b * t * 3 * h));
                Buffer hid = keep(bufs, be.allocate((long) b * t * h));
                Buffer gb = keep(bufs, be.allocate(3L * h));
                be.gruSequenceForward(d, x, wb, bb, hb0, out, hN, gates, hid);
                be.gruSequenceBackward(d, wb, hb0, out, gates, hid, go, null, gx, gw, gb, null);
            } else {
                be.rnnSequenceForward(d, RnnActivation.TANH, x, wb, hb0, out, hN);
                be.rnnSequenceBackward(d, RnnActivation.TANH, wb, hb0, out, go, null, gx, gw, null);
            }
            Tolerance tol = tolerance(OpFamily.FUSED);
            assertClose(download(gx), o.gradXProj, tol, kind + " gradXProj without state gradients");
            assertClose(download(gw), o.gradWhh, tol, kind + " gradWhh without state gradients");
        } finally {
            for (Buffer buf : bufs) {
                buf.close();
            }
        }
    }

    private static Buffer keep(List<Buffer> bufs, Buffer b) {
        bufs.add(b);
        return b;
    }
}
