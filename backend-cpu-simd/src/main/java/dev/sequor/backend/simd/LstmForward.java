package dev.sequor.backend.simd;

import dev.sequor.spi.RecurrentDims;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The whole-sequence LSTM forward with the recurrent weight packed once per sequence: each step
 * is one GEMM {@code a = xProj[:, t, :] + h W_hh^T} on the packed weight, then one fused pass per
 * row that activates the gates, updates {@code (c, h)} and writes the outputs and saved buffers
 * in the layout the default backward reads. The maths is {@link dev.sequor.spi.Backend#lstmSequenceForward}.
 */
final class LstmForward {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private LstmForward() {
    }

    static void run(SimdPrimitives be, RecurrentDims d, float[] xProj, float[] wHh, float[] h0, float[] c0,
                    float[] out, float[] hN, float[] cN, float[] gates, float[] cells) {
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        int g4 = 4 * h;
        WorkerPool pool = be.pool();
        // op(B) = W_hh^T, (H, 4H), read from the stored (4H, H) rows: packed once for all T steps.
        PackedB w = PackedB.pack(wHh, 0, h, true, h, g4, null, pool);
        float[] hs = java.util.Arrays.copyOf(h0, b * h);
        float[] cs = java.util.Arrays.copyOf(c0, b * h);
        float[] a = new float[b * g4];
        for (int step = 0; step < t; step++) {
            int time = d.time(step);
            for (int r = 0; r < b; r++) {
                System.arraycopy(xProj, (r * t + time) * g4, a, r * g4, g4);
            }
            Gemm.multiply(false, b, 1f, hs, 0, h, w, 1f, a, 0, g4, pool);
            be.forRange(b, Math.max(1, (SimdPrimitives.PARALLEL_MIN / 8) / h), (f, to) -> {
                for (int r = (int) f; r < to; r++) {
                    if (d.active(r, time)) {
                        cellRow(a, r, time, t, h, hs, cs, out, gates, cells);
                    } else {
                        // Inactive: outputs and saved values are 0; the state is carried unchanged.
                        int q = r * t + time;
                        java.util.Arrays.fill(gates, q * g4, (q + 1) * g4, 0f);
                        java.util.Arrays.fill(cells, q * h, (q + 1) * h, 0f);
                        java.util.Arrays.fill(out, q * h, (q + 1) * h, 0f);
                    }
                }
            });
        }
        System.arraycopy(hs, 0, hN, 0, b * h);
        System.arraycopy(cs, 0, cN, 0, b * h);
    }

    /** Row {@code r} at {@code time}: gates from the pre-activations in {@code a}, then the new state. */
    private static void cellRow(float[] a, int r, int time, int steps, int h, float[] hs, float[] cs,
                                float[] out, float[] gates, float[] cells) {
        int g4 = 4 * h;
        int ap = r * g4;
        int q = r * steps + time;
        int gp = q * g4;
        int sp = r * h;
        int op = q * h;
        int j = 0;
        int bound = S.loopBound(h);
        for (; j < bound; j += L) {
            FloatVector i = Unary.sigmoid(FloatVector.fromArray(S, a, ap + j));
            FloatVector f = Unary.sigmoid(FloatVector.fromArray(S, a, ap + h + j));
            FloatVector g = FloatVector.fromArray(S, a, ap + 2 * h + j).lanewise(VectorOperators.TANH);
            FloatVector o = Unary.sigmoid(FloatVector.fromArray(S, a, ap + 3 * h + j));
            FloatVector c = f.mul(FloatVector.fromArray(S, cs, sp + j)).add(i.mul(g));
            FloatVector hv = o.mul(c.lanewise(VectorOperators.TANH));
            i.intoArray(gates, gp + j);
            f.intoArray(gates, gp + h + j);
            g.intoArray(gates, gp + 2 * h + j);
            o.intoArray(gates, gp + 3 * h + j);
            c.intoArray(cells, op + j);
            c.intoArray(cs, sp + j);
            hv.intoArray(out, op + j);
            hv.intoArray(hs, sp + j);
        }
        for (; j < h; j++) {
            float i = Scalar.sigmoid(a[ap + j]);
            float f = Scalar.sigmoid(a[ap + h + j]);
            float g = (float) Math.tanh(a[ap + 2 * h + j]);
            float o = Scalar.sigmoid(a[ap + 3 * h + j]);
            float c = f * cs[sp + j] + i * g;
            float hv = o * (float) Math.tanh(c);
            gates[gp + j] = i;
            gates[gp + h + j] = f;
            gates[gp + 2 * h + j] = g;
            gates[gp + 3 * h + j] = o;
            cells[op + j] = c;
            cs[sp + j] = c;
            out[op + j] = hv;
            hs[sp + j] = hv;
        }
    }
}
