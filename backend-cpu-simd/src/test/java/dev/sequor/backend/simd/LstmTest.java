package dev.sequor.backend.simd;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RecurrentDims;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.sequor.backend.simd.Fixtures.REF;
import static dev.sequor.backend.simd.Fixtures.SIMD;

/**
 * The packed-weight LSTM forward against the reference backend (which runs the default), with a
 * hidden size that exercises both the vector body and the scalar tail, ragged lengths, both
 * directions, and the default backward on the saved buffers.
 */
class LstmTest {

    private static float[][] run(Backend be, RecurrentDims d, float[][] in) {
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        Buffer x = Fixtures.upload(be, in[0]);
        Buffer w = Fixtures.upload(be, in[1]);
        Buffer h0 = Fixtures.upload(be, in[2]);
        Buffer c0 = Fixtures.upload(be, in[3]);
        Buffer gOut = Fixtures.upload(be, in[4]);
        Buffer out = be.allocate((long) b * t * h);
        Buffer hN = be.allocate((long) b * h);
        Buffer cN = be.allocate((long) b * h);
        Buffer gates = be.allocate(4L * b * t * h);
        Buffer cells = be.allocate((long) b * t * h);
        Buffer gX = be.allocate(4L * b * t * h);
        Buffer gW = be.allocate(4L * h * h);
        Buffer gH0 = be.allocate((long) b * h);
        Buffer gC0 = be.allocate((long) b * h);
        be.lstmSequenceForward(d, x, w, h0, c0, out, hN, cN, gates, cells);
        be.lstmSequenceBackward(d, w, h0, c0, out, gates, cells, gOut, null, null, gX, gW, gH0, gC0);
        Buffer[] all = {out, hN, cN, gates, cells, gX, gW, gH0, gC0};
        float[][] res = new float[all.length][];
        for (int i = 0; i < all.length; i++) {
            res[i] = Fixtures.download(be, all[i]);
        }
        for (Buffer buf : new Buffer[] {x, w, h0, c0, gOut, out, hN, cN, gates, cells, gX, gW, gH0, gC0}) {
            buf.close();
        }
        return res;
    }

    @Test
    void packedForwardMatchesTheDefaultOverLengthsAndDirections() {
        int b = 5;
        int t = 7;
        int h = 37;
        SplittableRandom r = new SplittableRandom(41);
        float[][] in = {Fixtures.random(r, b * t * 4 * h, 2), Fixtures.random(r, 4 * h * h, 0.3),
            Fixtures.random(r, b * h, 1), Fixtures.random(r, b * h, 1), Fixtures.random(r, b * t * h, 1)};
        String[] names = {"out", "hN", "cN", "gates", "cells", "gradXProj", "gradWhh", "gradH0", "gradC0"};
        for (int[] lengths : new int[][] {null, {7, 3, 5, 1, 7}}) {
            for (boolean reverse : new boolean[] {false, true}) {
                RecurrentDims d = new RecurrentDims(b, t, h, lengths, reverse);
                float[][] got = run(SIMD, d, in);
                float[][] want = run(REF, d, in);
                for (int i = 0; i < names.length; i++) {
                    Fixtures.close(got[i], want[i], 2e-5, 2e-6, names[i] + " " + d);
                }
            }
        }
    }
}
