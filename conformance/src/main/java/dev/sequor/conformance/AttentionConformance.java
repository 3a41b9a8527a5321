package dev.sequor.conformance;

import dev.sequor.spi.AttentionBias;
import dev.sequor.spi.AttentionSpec;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conformance of the fused attention kernels ({@link Backend#attentionForward},
 * {@link Backend#attentionBackward}) against {@link AttentionOracle}: plain, causal (square and
 * decoder-step shaped), key padding with a fully masked row, per-head additive bias, and dropout.
 * Part of {@link BackendConformance}; tolerances are those of {@link OpFamily#FUSED}.
 */
public interface AttentionConformance extends BackendUnderTest {

    @Test
    default void attentionPlain() {
        checkAttention(new AttentionSpec(2, 2, 3, 5, 4, 3, 0.5f, false, 0f, 0L), null, 1);
    }

    @Test
    default void attentionCausalSquareAndDecoderStep() {
        checkAttention(new AttentionSpec(1, 2, 4, 4, 8, 8, 0.35f, true, 0f, 0L), null, 2);
        checkAttention(new AttentionSpec(2, 1, 2, 5, 4, 4, 0.5f, true, 0f, 0L), null, 3);
    }

    @Test
    default void attentionKeyPaddingWithFullyMaskedRow() {
        AttentionSpec sp = new AttentionSpec(2, 2, 3, 4, 4, 2, 0.5f, false, 0f, 0L);
        float ninf = Float.NEGATIVE_INFINITY;
        // batch 0 keeps keys 0-2, batch 1 keeps none: a fully masked problem
        float[] pad = {0, 0, 0, ninf, ninf, ninf, ninf, ninf};
        checkAttention(sp, new float[][] {pad, {4, 0, 0, 1}}, 4);
    }

    @Test
    default void attentionPerHeadAdditiveBias() {
        AttentionSpec sp = new AttentionSpec(2, 3, 3, 4, 4, 4, 0.5f, false, 0f, 0L);
        float[] bias = random(new Random(5), 2 * 3 * 3 * 4);
        bias[7] = Float.NEGATIVE_INFINITY;
        checkAttention(sp, new float[][] {bias, {36, 12, 4, 1}}, 6);
    }

    @Test
    default void attentionDropout() {
        checkAttention(new AttentionSpec(2, 2, 4, 6, 4, 3, 0.5f, true, 0.3f, 1234L), null, 7);
    }

    /** Runs forward and backward on the backend and compares with the oracle. */
    private void checkAttention(AttentionSpec sp, float[][] biasAndStrides, long seed) {
        Backend be = backend();
        Random r = new Random(seed);
        int bh = sp.problems();
        float[] q = random(r, bh * sp.queries() * sp.headDim());
        float[] k = random(r, bh * sp.keys() * sp.headDim());
        float[] v = random(r, bh * sp.keys() * sp.valueDim());
        float[] g = random(r, bh * sp.queries() * sp.valueDim());
        float[] denseBias = biasAndStrides == null ? null : expand(sp, biasAndStrides[0], biasAndStrides[1]);
        AttentionOracle want = new AttentionOracle(sp, q, k, v, denseBias, g);
        try (Buffer qb = upload(q); Buffer kb = upload(k); Buffer vb = upload(v); Buffer gb = upload(g);
             Buffer biasBuf = biasAndStrides == null ? null : upload(biasAndStrides[0]);
             Buffer out = be.allocate(want.out.length); Buffer lse = be.allocate(want.lse.length);
             Buffer gq = be.allocate(q.length); Buffer gk = be.allocate(k.length); Buffer gv = be.allocate(v.length)) {
            AttentionBias bias = biasBuf == null ? null : new AttentionBias(biasBuf, toLongs(biasAndStrides[1]));
            be.attentionForward(sp, qb, kb, vb, bias, out, lse);
            compare("attention output", want.out, download(out), tolerance(OpFamily.FUSED));
            compare("attention logsumexp", want.lse, download(lse), tolerance(OpFamily.FUSED));
            be.attentionBackward(sp, qb, kb, vb, bias, out, lse, gb, gq, gk, gv);
            compare("attention dq", want.gq, download(gq), tolerance(OpFamily.FUSED));
            compare("attention dk", want.gk, download(gk), tolerance(OpFamily.FUSED));
            compare("attention dv", want.gv, download(gv), tolerance(OpFamily.FUSED));
        }
    }

    private static float[] expand(AttentionSpec sp, float[] bias, float[] strides) {
        float[] dense = new float[sp.problems() * sp.queries() * sp.keys()];
        int p = 0;
        for (int b = 0; b < sp.batch(); b++) {
            for (int h = 0; h < sp.heads(); h++) {
                for (int i = 0; i < sp.queries(); i++) {
                    for (int j = 0; j < sp.keys(); j++) {
                        dense[p++] = bias[(int) (b * strides[0] + h * strides[1] + i * strides[2] + j * strides[3])];
                    }
                }
            }
        }
        return dense;
    }

    private static long[] toLongs(float[] f) {
        long[] out = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (long) f[i];
        }
        return out;
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static void compare(String what, double[] want, float[] got, Tolerance tol) {
        assertThat(got).as("%s length", what).hasSize(want.length);
        for (int i = 0; i < want.length; i++) {
            assertThat(tol.accepts(got[i], want[i])).as("%s[%d]: got %s, want %s (%s)", what, i, got[i], want[i], tol)
                    .isTrue();
        }
    }
}
