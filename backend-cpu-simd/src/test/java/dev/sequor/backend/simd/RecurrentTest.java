package dev.sequor.backend.simd;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RecurrentDims;
import dev.sequor.spi.RnnActivation;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.sequor.backend.simd.Fixtures.REF;
import static dev.sequor.backend.simd.Fixtures.SIMD;

/**
 * The packed-weight LSTM, GRU and RNN forwards against the reference backend (which runs the
 * defaults), with hidden sizes that exercise both the vector body and the scalar tail (the kit's
 * are smaller than a vector), ragged lengths, both directions, and the default backward on the
 * saved buffers.
 */
class RecurrentTest {

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

    private static float[][] runGru(Backend be, RecurrentDims d, float[][] in) {
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        Buffer x = Fixtures.upload(be, in[0]);
        Buffer w = Fixtures.upload(be, in[1]);
        Buffer bias = Fixtures.upload(be, in[2]);
        Buffer h0 = Fixtures.upload(be, in[3]);
        Buffer gOut = Fixtures.upload(be, in[4]);
        Buffer out = be.allocate((long) b * t * h);
        Buffer hN = be.allocate((long) b * h);
        Buffer gates = be.allocate(3L * b * t * h);
        Buffer hidden = be.allocate((long) b * t * h);
        Buffer gX = be.allocate(3L * b * t * h);
        Buffer gW = be.allocate(3L * h * h);
        Buffer gB = be.allocate(3L * h);
        Buffer gH0 = be.allocate((long) b * h);
        be.gruSequenceForward(d, x, w, bias, h0, out, hN, gates, hidden);
        be.gruSequenceBackward(d, w, h0, out, gates, hidden, gOut, null, gX, gW, gB, gH0);
        Buffer[] all = {out, hN, gates, hidden, gX, gW, gB, gH0};
        float[][] res = new float[all.length][];
        for (int i = 0; i < all.length; i++) {
            res[i] = Fixtures.download(be, all[i]);
        }
        for (Buffer buf : new Buffer[] {x, w, bias, h0, gOut, out, hN, gates, hidden, gX, gW, gB, gH0}) {
            buf.close();
        }
        return res;
    }

    @Test
    void packedGruForwardMatchesTheDefaultOverLengthsAndDirections() {
        int b = 4;
        int t = 6;
        int h = 35;
        SplittableRandom r = new SplittableRandom(43);
        float[][] in = {Fixtures.random(r, b * t * 3 * h, 2), Fixtures.random(r, 3 * h * h, 0.3),
            Fixtures.random(r, 3 * h, 0.5), Fixtures.random(r, b * h, 1), Fixtures.random(r, b * t * h, 1)};
        String[] names = {"out", "hN", "gates", "hiddenN", "gradXProj", "gradWhh", "gradBhh", "gradH0"};
        for (int[] lengths : new int[][] {null, {6, 2, 6, 1}}) {
            for (boolean reverse : new boolean[] {false, true}) {
                RecurrentDims d = new RecurrentDims(b, t, h, lengths, reverse);
                float[][] got = runGru(SIMD, d, in);
                float[][] want = runGru(REF, d, in);
                for (int i = 0; i < names.length; i++) {
                    Fixtures.close(got[i], want[i], 2e-5, 2e-6, "gru " + names[i] + " " + d);
                }
            }
        }
    }

    @Test
    void packedRnnForwardMatchesTheDefaultForBothActivations() {
        int b = 3;
        int t = 5;
        int h = 40;
        SplittableRandom r = new SplittableRandom(47);
        float[] x = Fixtures.random(r, b * t * h, 2);
        float[] w = Fixtures.random(r, h * h, 0.3);
        float[] h0 = Fixtures.random(r, b * h, 1);
        float[] gOut = Fixtures.random(r, b * t * h, 1);
        for (RnnActivation act : RnnActivation.values()) {
            for (int[] lengths : new int[][] {null, {5, 2, 4}}) {
                for (boolean reverse : new boolean[] {false, true}) {
                    RecurrentDims d = new RecurrentDims(b, t, h, lengths, reverse);
                    float[][][] res = new float[2][][];
                    Backend[] bes = {SIMD, REF};
                    for (int k = 0; k < 2; k++) {
                        Backend be = bes[k];
                        Buffer xb = Fixtures.upload(be, x);
                        Buffer wb = Fixtures.upload(be, w);
                        Buffer h0b = Fixtures.upload(be, h0);
                        Buffer gob = Fixtures.upload(be, gOut);
                        Buffer out = be.allocate((long) b * t * h);
                        Buffer hN = be.allocate((long) b * h);
                        Buffer gX = be.allocate((long) b * t * h);
                        Buffer gW = be.allocate((long) h * h);
                        Buffer gH0 = be.allocate((long) b * h);
                        be.rnnSequenceForward(d, act, xb, wb, h0b, out, hN);
                        be.rnnSequenceBackward(d, act, wb, h0b, out, gob, null, gX, gW, gH0);
                        res[k] = new float[][] {Fixtures.download(be, out), Fixtures.download(be, hN),
                            Fixtures.download(be, gX), Fixtures.download(be, gW), Fixtures.download(be, gH0)};
                        for (Buffer buf : new Buffer[] {xb, wb, h0b, gob, out, hN, gX, gW, gH0}) {
                            buf.close();
                        }
                    }
                    for (int i = 0; i < 5; i++) {
                        Fixtures.close(res[0][i], res[1][i], 2e-5, 2e-6, "rnn " + act + " output " + i + " " + d);
                    }
                }
            }
        }
    }
}
