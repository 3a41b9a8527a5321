package dev.sequor.backend.simd;

import static dev.sequor.conformance.KitAssertions.assertClose;

import dev.sequor.conformance.RecurrentOracle;
import dev.sequor.conformance.Tolerance;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RecurrentDims;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The cpu-simd LSTM and GRU sequence kernels at shapes the conformance kit's small ones do not reach:
 * several hidden blocks split across parts, a hidden size that is not a whole number of vectors, a
 * recurrent product deeper than one k block ({@code H > KC}, and {@code 4H > KC} in the backward),
 * and a batch that is not a whole number of micro-kernel rows. Checked against the kit's
 * double-precision oracle at the kit's fused-kernel tolerance.
 */
class RecurrentOverrideTest {

    private static final Tolerance TOL = Tolerance.of(1e-5, 1e-4);

    @ParameterizedTest(name = "{0} B={1} T={2} H={3} variable={4} reverse={5}")
    @CsvSource({
        "lstm, 5, 4, 70, false, false",
        "lstm, 6, 5, 100, true, true",
        "lstm, 3, 3, 300, true, false",
        "lstm, 9, 6, 64, false, true",
        "gru, 5, 4, 70, false, false",
        "gru, 6, 5, 100, true, true",
        "gru, 3, 3, 300, true, false",
        "gru, 9, 6, 64, false, true",
    })
    void matchesTheOracle(String kind, int b, int t, int h, boolean variable, boolean reverse) {
        Backend be = Fixtures.SIMD;
        int g = kind.equals("lstm") ? 4 : 3;
        SplittableRandom rnd = new SplittableRandom(17L * b + 31L * t + h + (reverse ? 7 : 0));
        // weights ~ 1/sqrt(H) keep the gates away from saturation, as PyTorch's initialisation does
        double ws = 1.0 / Math.sqrt(h);
        float[] xProj = Fixtures.random(rnd, b * t * g * h, 1.5);
        float[] w = Fixtures.random(rnd, g * h * h, 2 * ws);
        float[] bHh = Fixtures.random(rnd, g * h, 0.5);
        float[] h0 = Fixtures.random(rnd, b * h, 1);
        float[] c0 = Fixtures.random(rnd, b * h, 1);
        float[] gOut = Fixtures.random(rnd, b * t * h, 1);
        float[] gHN = Fixtures.random(rnd, b * h, 1);
        float[] gCN = Fixtures.random(rnd, b * h, 1);
        int[] lengths = null;
        if (variable) {
            lengths = new int[b];
            for (int i = 0; i < b; i++) {
                lengths[i] = 1 + (i * 2 + 1) % t;
            }
            lengths[0] = t;
        }
        RecurrentOracle o = new RecurrentOracle(kind, b, t, h, lengths, reverse, xProj, w, bHh, h0, c0);
        o.backward(gOut, gHN, kind.equals("lstm") ? gCN : null);
        RecurrentDims d = new RecurrentDims(b, t, h, lengths, reverse);
        String what = kind + " " + d;
        List<Buffer> bufs = new ArrayList<>();
        try {
            Buffer x = keep(bufs, Fixtures.upload(be, xProj));
            Buffer wb = keep(bufs, Fixtures.upload(be, w));
            Buffer hb0 = keep(bufs, Fixtures.upload(be, h0));
            Buffer out = keep(bufs, be.allocate((long) b * t * h));
            Buffer hN = keep(bufs, be.allocate((long) b * h));
            Buffer gx = keep(bufs, be.allocate((long) b * t * g * h));
            Buffer gw = keep(bufs, be.allocate((long) g * h * h));
            Buffer gh0 = keep(bufs, be.allocate((long) b * h));
            Buffer go = keep(bufs, Fixtures.upload(be, gOut));
            Buffer ghn = keep(bufs, Fixtures.upload(be, gHN));
            if (kind.equals("lstm")) {
                Buffer cb0 = keep(bufs, Fixtures.upload(be, c0));
                Buffer cN = keep(bufs, be.allocate((long) b * h));
                Buffer gates = keep(bufs, be.allocate((long) b * t * 4 * h));
                Buffer cells = keep(bufs, be.allocate((long) b * t * h));
                Buffer gcn = keep(bufs, Fixtures.upload(be, gCN));
                Buffer gc0 = keep(bufs, be.allocate((long) b * h));
                be.lstmSequenceForward(d, x, wb, hb0, cb0, out, hN, cN, gates, cells);
                be.lstmSequenceBackward(d, wb, hb0, cb0, out, gates, cells, go, ghn, gcn, gx, gw, gh0, gc0);
                assertClose(Fixtures.download(be, cN), o.cN, TOL, what + ": cN");
                assertClose(Fixtures.download(be, gc0), o.gradC0, TOL, what + ": gradC0");
            } else {
                Buffer bb = keep(bufs, Fixtures.upload(be, bHh));
                Buffer gates = keep(bufs, be.allocate((long) b * t * 3 * h));
                Buffer hid = keep(bufs, be.allocate((long) b * t * h));
                Buffer gb = keep(bufs, be.allocate(3L * h));
                be.gruSequenceForward(d, x, wb, bb, hb0, out, hN, gates, hid);
                be.gruSequenceBackward(d, wb, hb0, out, gates, hid, go, ghn, gx, gw, gb, gh0);
                assertClose(Fixtures.download(be, gb), o.gradBhh, TOL, what + ": gradBhh");
            }
            assertClose(Fixtures.download(be, out), o.out, TOL, what + ": out");
            assertClose(Fixtures.download(be, hN), o.hN, TOL, what + ": hN");
            assertClose(Fixtures.download(be, gx), o.gradXProj, TOL, what + ": gradXProj");
            assertClose(Fixtures.download(be, gw), o.gradWhh, TOL, what + ": gradWhh");
            assertClose(Fixtures.download(be, gh0), o.gradH0, TOL, what + ": gradH0");
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
