package dev.sequor.backend.simd;

import dev.sequor.spi.RecurrentDims;
import dev.sequor.spi.RnnActivation;
import dev.sequor.spi.UnaryOp;

import java.util.Arrays;

/**
 * The whole-sequence Elman RNN forward with the recurrent weight packed once per sequence: each
 * step is one GEMM {@code a = xProj[:, t, :] + h W_hh^T} on the packed weight, then the
 * activation row by row. The maths is {@link dev.sequor.spi.Backend#rnnSequenceForward}.
 */
final class RnnForward {

    private RnnForward() {
    }

    static void run(SimdPrimitives be, RecurrentDims d, RnnActivation act, float[] xProj, float[] wHh, float[] h0,
                    float[] out, float[] hN) {
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        UnaryOp f = act == RnnActivation.TANH ? UnaryOp.TANH : UnaryOp.RELU;
        WorkerPool pool = be.pool();
        PackedB w = PackedB.pack(wHh, 0, h, true, h, h, null, pool);
        float[] hs = Arrays.copyOf(h0, b * h);
        float[] a = new float[b * h];
        for (int step = 0; step < t; step++) {
            int time = d.time(step);
            for (int r = 0; r < b; r++) {
                System.arraycopy(xProj, (r * t + time) * h, a, r * h, h);
            }
            Gemm.multiply(false, b, 1f, hs, 0, h, w, 1f, a, 0, h, pool);
            for (int r = 0; r < b; r++) {
                int q = (r * t + time) * h;
                if (d.active(r, time)) {
                    Unary.run(f, a, r * h, out, q, h);
                    System.arraycopy(out, q, hs, r * h, h);
                } else {
                    // Inactive: the output is 0 and the state is carried unchanged.
                    Arrays.fill(out, q, q + h, 0f);
                }
            }
        }
        System.arraycopy(hs, 0, hN, 0, b * h);
    }
}
