package dev.sequor.backend.simd;

import dev.sequor.spi.AttentionBias;
import dev.sequor.spi.AttentionSpec;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.sequor.backend.simd.Fixtures.REF;
import static dev.sequor.backend.simd.Fixtures.SIMD;
/**
 * The blocked attention kernel ({@link SimdFlashAttention}) against the reference backend's default
 * (full score matrix, double accumulation) at shapes the conformance kit's small cases do not reach:
 * several query and key blocks with tails, head widths that are not whole vectors, causal with
 * {@code L < S} and {@code L > S} (rows with no visible key), key-padding and per-head biases with a
 * key stride other than 1, dropout, and a single problem (so blocks are split across threads). Windowed
 * calls are held to the default's band mask at widths spanning several blocks, with the window's edges
 * falling mid-tile, cached keys ({@code L < S}), rows whose window lies before key 0 ({@code L > S}),
 * padding that empties whole windows, and dropout.
 */
class FlashAttentionTest {

    private static final double RTOL = 2e-4;
    private static final double ATOL = 2e-5;

    @Test
    void severalBlocksWithTails() {
        check(new AttentionSpec(2, 2, 150, 131, 24, 40, 0.2f, false, 0f, 0L), null, null, 1);
    }

    @Test
    void wholeVectorHeadsSquareCausal() {
        check(new AttentionSpec(1, 3, 200, 200, 32, 32, (float) (1 / Math.sqrt(32)), true, 0f, 0L), null, null, 2);
    }

    @Test
    void causalDecoderShapedAndRowsWithoutKeys() {
        // L < S: the diagonal is aligned to the last key
        check(new AttentionSpec(2, 1, 70, 190, 16, 8, 0.25f, true, 0f, 0L), null, null, 3);
        // L > S: the first L - S queries see no key at all
        check(new AttentionSpec(1, 2, 140, 65, 8, 17, 0.3f, true, 0f, 0L), null, null, 4);
    }

    @Test
    void keyPaddingBiasWithFullyMaskedBatch() {
        AttentionSpec sp = new AttentionSpec(3, 2, 80, 100, 16, 16, 0.25f, false, 0f, 0L);
        float[] pad = new float[3 * 100];
        for (int j = 0; j < 100; j++) {
            pad[j] = j >= 77 ? Float.NEGATIVE_INFINITY : 0f;
            pad[100 + j] = Float.NEGATIVE_INFINITY;
            pad[200 + j] = j % 3 == 0 ? Float.NEGATIVE_INFINITY : 0.5f;
        }
        check(sp, pad, new long[] {100, 0, 0, 1}, 5);
    }

    @Test
    void perHeadBiasReadWithKeyStrideOtherThanOne() {
        AttentionSpec sp = new AttentionSpec(2, 2, 90, 70, 12, 12, 0.3f, true, 0f, 0L);
        // stored as (B, H, S, L), read as (B, H, L, S): strides (H*S*L, S*L, 1, L)
        float[] bias = Fixtures.random(new SplittableRandom(6), 2 * 2 * 70 * 90, 2);
        bias[17] = Float.NEGATIVE_INFINITY;
        check(sp, bias, new long[] {2 * 70 * 90, 70 * 90, 1, 90}, 7);
    }

    @Test
    void dropoutAcrossBlocks() {
        check(new AttentionSpec(2, 2, 100, 130, 16, 20, 0.25f, true, 0.2f, 99L), null, null, 8);
    }

    @Test
    void oneLongProblemSplitsAcrossThreads() {
        check(new AttentionSpec(1, 1, 300, 300, 32, 32, 0.18f, false, 0.1f, 7L), null, null, 9);
        check(new AttentionSpec(1, 1, 257, 400, 32, 16, 0.18f, true, 0f, 0L), null, null, 10);
    }

    @Test
    void causalWindowAcrossBlocksWithDropout() {
        float scale = (float) (1 / Math.sqrt(32));
        check(new AttentionSpec(1, 2, 300, 300, 32, 32, scale, true, 0.1f, 3L).withWindow(100, 0), null, null, 11);
        check(new AttentionSpec(2, 1, 260, 260, 32, 32, scale, true, 0f, 0L).withWindow(64, 0), null, null, 12);
    }

    @Test
    void twoSidedWindowOverCachedKeysWithPadding() {
        AttentionSpec sp = new AttentionSpec(2, 2, 130, 260, 16, 24, 0.25f, false, 0f, 0L).withWindow(70, 41);
        float[] pad = new float[2 * 260];
        for (int j = 0; j < 260; j++) {
            // batch 1 keeps only keys < 150, so its last queries (aligned at 130 + i) see only padding
            pad[260 + j] = j >= 150 ? Float.NEGATIVE_INFINITY : 0f;
            pad[j] = j % 5 == 0 ? -0.7f : 0f;
        }
        check(sp, pad, new long[] {260, 0, 0, 1}, 13);
    }

    @Test
    void windowBeforeTheFirstKeyAndBiasWithKeyStride() {
        // L > S: queries i < L - S - right see no key at all
        check(new AttentionSpec(1, 2, 200, 90, 8, 8, 0.3f, false, 0f, 0L).withWindow(10, 5), null, null, 14);
        AttentionSpec sp = new AttentionSpec(1, 2, 150, 150, 12, 12, 0.3f, true, 0.2f, 5L).withWindow(37, 0);
        float[] bias = Fixtures.random(new SplittableRandom(15), 2 * 150 * 150, 2);
        check(sp, bias, new long[] {2 * 150 * 150, 150 * 150, 1, 150}, 16);
    }

    @Test
    void oneLongWindowedProblemSplitsAcrossThreads() {
        check(new AttentionSpec(1, 1, 700, 700, 32, 32, 0.18f, true, 0f, 0L).withWindow(200, 0), null, null, 17);
        check(new AttentionSpec(1, 1, 520, 520, 16, 16, 0.2f, false, 0.15f, 8L).withWindow(130, 90), null, null, 18);
    }

    private static void check(AttentionSpec sp, float[] bias, long[] strides, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int bh = sp.problems();
        float[] q = Fixtures.random(r, bh * sp.queries() * sp.headDim(), 1.5);
        float[] k = Fixtures.random(r, bh * sp.keys() * sp.headDim(), 1.5);
        float[] v = Fixtures.random(r, bh * sp.keys() * sp.valueDim(), 1);
        float[] g = Fixtures.random(r, bh * sp.queries() * sp.valueDim(), 1);
        float[][] want = run(REF, sp, q, k, v, g, bias, strides);
        float[][] got = run(SIMD, sp, q, k, v, g, bias, strides);
        String[] names = {"out", "lse", "dq", "dk", "dv"};
        for (int i = 0; i < names.length; i++) {
            Fixtures.close(got[i], want[i], RTOL, ATOL, sp + " " + names[i]);
        }
    }

    /** @return out, lse, dq, dk, dv from {@code be}'s attention forward and backward */
    private static float[][] run(Backend be, AttentionSpec sp, float[] q, float[] k, float[] v,
                                 float[] g, float[] bias, long[] strides) {
        int rows = sp.problems() * sp.queries();
        try (Buffer qb = Fixtures.upload(be, q); Buffer kb = Fixtures.upload(be, k); Buffer vb = Fixtures.upload(be, v);
             Buffer gb = Fixtures.upload(be, g); Buffer bb = bias == null ? null : Fixtures.upload(be, bias);
             Buffer out = be.allocate((long) rows * sp.valueDim()); Buffer lse = be.allocate(rows);
             Buffer dq = be.allocate(q.length); Buffer dk = be.allocate(k.length); Buffer dv = be.allocate(v.length)) {
            // NaN in the outputs proves every element is written, not left from a previous use.
            for (Buffer b : new Buffer[] {out, lse, dq, dk, dv}) {
                be.fill(b, 0, b.length(), Float.NaN);
            }
            AttentionBias ab = bb == null ? null : new AttentionBias(bb, strides);
            be.attentionForward(sp, qb, kb, vb, ab, out, lse);
            be.attentionBackward(sp, qb, kb, vb, ab, out, lse, gb, dq, dk, dv);
            return new float[][] {Fixtures.download(be, out), Fixtures.download(be, lse), Fixtures.download(be, dq),
                Fixtures.download(be, dk), Fixtures.download(be, dv)};
        }
    }
}
