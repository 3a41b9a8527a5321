package dev.sequor.backend.simd;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RandomKind;
import dev.sequor.spi.RecurrentDims;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

import static dev.sequor.backend.simd.Fixtures.SIMD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The packed {@code W_hh} cached on its buffer: reused while the values are unchanged, discarded by
 * every in-place write (upload, copy, an optimizer-like affine update, a random fill), and the
 * cached path gives the same bits as packing a fresh buffer holding the same values.
 */
class PackedWeightCacheTest {

    private static final int B = 3;
    private static final int T = 4;
    private static final int H = 37;

    /** @return the LSTM (gates 4) or GRU (3) forward's output for the weight in {@code w} */
    private static float[] forward(Backend be, int gates, float[] xs, Buffer w) {
        RecurrentDims d = new RecurrentDims(B, T, H, null, false);
        Buffer x = Fixtures.upload(be, xs);
        Buffer h0 = be.allocate((long) B * H);
        be.fill(h0, 0, (long) B * H, 0.1f);
        Buffer out = be.allocate((long) B * T * H);
        Buffer hN = be.allocate((long) B * H);
        Buffer g = be.allocate((long) gates * B * T * H);
        Buffer cells = be.allocate((long) B * T * H);
        Buffer extra = be.allocate((long) Math.max(gates * H, B * H));
        if (gates == 4) {
            be.lstmSequenceForward(d, x, w, h0, h0, out, hN, extra, g, cells);
        } else {
            be.fill(extra, 0, gates * H, 0.05f);
            be.gruSequenceForward(d, x, w, extra, h0, out, hN, g, cells);
        }
        float[] res = Fixtures.download(be, out);
        for (Buffer b : new Buffer[] {x, h0, out, hN, g, cells, extra}) {
            b.close();
        }
        return res;
    }

    private static float[] fresh(int gates, float[] xs, float[] weights) {
        Buffer w = Fixtures.upload(SIMD, weights);
        try {
            return forward(SIMD, gates, xs, w);
        } finally {
            w.close();
        }
    }

    @Test
    void aForwardKeepsThePackedWeightAndAReadDoesNotInvalidateIt() {
        for (int gates : new int[] {3, 4}) {
            SplittableRandom r = new SplittableRandom(7 + gates);
            float[] xs = Fixtures.random(r, gates * B * T * H, 1);
            Buffer w = Fixtures.upload(SIMD, Fixtures.random(r, gates * H * H, 0.3));
            SimdBuffer sb = (SimdBuffer) w;
            float[] first = forward(SIMD, gates, xs, w);
            long v = sb.version();
            float[] packed = sb.derived(new SimdRecurrent.GateMajorKey(H, gates));
            assertFalse(packed == null, "a forward caches the packed weight");
            float[] second = forward(SIMD, gates, xs, w);
            assertEquals(v, sb.version(), "the forward must only read W_hh");
            assertSame(packed, sb.derived(new SimdRecurrent.GateMajorKey(H, gates)), "packed once");
            assertArrayEquals(first, second);
            w.close();
        }
    }

    @Test
    void everyInPlaceWriteDiscardsThePackedWeight() {
        List<BiConsumer<Buffer, float[]>> writes = List.of(
                (w, v) -> SIMD.upload(v, 0, w, 0, v.length),
                (w, v) -> {
                    Buffer src = Fixtures.upload(SIMD, v);
                    SIMD.copy(src, 0, w, 0, v.length);
                    src.close();
                },
                (w, v) -> SIMD.affine(w, 0.9f, 0.01f, w, v.length),
                (w, v) -> SIMD.randomFill(w, 0, v.length, RandomKind.UNIFORM, -0.2f, 0.2f, 5));
        for (int gates : new int[] {3, 4}) {
            for (int k = 0; k < writes.size(); k++) {
                SplittableRandom r = new SplittableRandom(100 * gates + k);
                float[] xs = Fixtures.random(r, gates * B * T * H, 1);
                float[] w0 = Fixtures.random(r, gates * H * H, 0.3);
                float[] w1 = Fixtures.random(r, gates * H * H, 0.3);
                Buffer w = Fixtures.upload(SIMD, w0);
                float[] before = forward(SIMD, gates, xs, w);
                writes.get(k).accept(w, w1);
                float[] now = Fixtures.download(SIMD, w);
                float[] after = forward(SIMD, gates, xs, w);
                w.close();
                assertFalse(Arrays.equals(before, after), "write " + k + " changed the weight");
                assertArrayEquals(fresh(gates, xs, now), after, "write " + k + ", gates " + gates
                        + ": the cached path must see the new values, bit for bit");
            }
        }
    }
}
