package dev.sequor.backend.simd;

import dev.sequor.spi.RecurrentDims;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The whole-sequence GRU forward with the recurrent weight packed once per sequence: each step is
 * one GEMM {@code p = b_hh + h W_hh^T} on the packed weight, then one fused pass per row for the
 * gates and the new state, writing the saved buffers in the layout the default backward reads.
 * The maths is {@link dev.sequor.spi.Backend#gruSequenceForward}.
 */
final class GruForward {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private GruForward() {
    }

    static void run(SimdPrimitives be, RecurrentDims d, float[] xProj, float[] wHh, float[] bHh, float[] h0,
                    float[] out, float[] hN, float[] gates, float[] hiddenN) {
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        int g3 = 3 * h;
        WorkerPool pool = be.pool();
        PackedB w = PackedB.pack(wHh, 0, h, true, h, g3, null, pool);
        float[] hs = java.util.Arrays.copyOf(h0, b * h);
        float[] p = new float[b * g3];
        for (int step = 0; step < t; step++) {
            int time = d.time(step);
            for (int r = 0; r < b; r++) {
                System.arraycopy(bHh, 0, p, r * g3, g3);
            }
            Gemm.multiply(false, b, 1f, hs, 0, h, w, 1f, p, 0, g3, pool);
            be.forRange(b, Math.max(1, (SimdPrimitives.PARALLEL_MIN / 8) / h), (f, to) -> {
                for (int r = (int) f; r < to; r++) {
                    int q = r * t + time;
                    if (d.active(r, time)) {
                        cellRow(xProj, p, r, q, h, hs, out, gates, hiddenN);
                    } else {
                        // Inactive: outputs and saved values are 0; the state is carried unchanged.
                        java.util.Arrays.fill(gates, q * g3, (q + 1) * g3, 0f);
                        java.util.Arrays.fill(hiddenN, q * h, (q + 1) * h, 0f);
                        java.util.Arrays.fill(out, q * h, (q + 1) * h, 0f);
                    }
                }
            });
        }
        System.arraycopy(hs, 0, hN, 0, b * h);
    }

    /** Row {@code r} (sequence position {@code q = r*T + t}): r, z, n and {@code h = n + z (h - n)}. */
    private static void cellRow(float[] xProj, float[] p, int r, int q, int h, float[] hs,
                                float[] out, float[] gates, float[] hiddenN) {
        int g3 = 3 * h;
        int xp = q * g3;
        int pp = r * g3;
        int sp = r * h;
        int op = q * h;
        int j = 0;
        int bound = S.loopBound(h);
        for (; j < bound; j += L) {
            FloatVector pn = FloatVector.fromArray(S, p, pp + 2 * h + j);
            FloatVector rg = Unary.sigmoid(FloatVector.fromArray(S, xProj, xp + j).add(FloatVector.fromArray(S, p, pp + j)));
            FloatVector zg = Unary.sigmoid(FloatVector.fromArray(S, xProj, xp + h + j)
                    .add(FloatVector.fromArray(S, p, pp + h + j)));
            FloatVector n = FloatVector.fromArray(S, xProj, xp + 2 * h + j).add(rg.mul(pn))
                    .lanewise(VectorOperators.TANH);
            FloatVector hv = n.add(zg.mul(FloatVector.fromArray(S, hs, sp + j).sub(n)));
            rg.intoArray(gates, xp + j);
            zg.intoArray(gates, xp + h + j);
            n.intoArray(gates, xp + 2 * h + j);
            pn.intoArray(hiddenN, op + j);
            hv.intoArray(out, op + j);
            hv.intoArray(hs, sp + j);
        }
        for (; j < h; j++) {
            float pn = p[pp + 2 * h + j];
            float rg = Scalar.sigmoid(xProj[xp + j] + p[pp + j]);
            float zg = Scalar.sigmoid(xProj[xp + h + j] + p[pp + h + j]);
            float n = (float) Math.tanh(xProj[xp + 2 * h + j] + rg * pn);
            float hv = n + zg * (hs[sp + j] - n);
            gates[xp + j] = rg;
            gates[xp + h + j] = zg;
            gates[xp + 2 * h + j] = n;
            hiddenN[op + j] = pn;
            out[op + j] = hv;
            hs[sp + j] = hv;
        }
    }
}
