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
 * Windowed calls ({@link AttentionSpec#withWindow}) are held to global attention under the equivalent
 * band bias: the oracle runs unwindowed with {@code -Inf} added outside
 * {@code [i + S - L - left, i + S - L + right]}, written here from that definition, not from
 * {@link AttentionSpec#keyStart}. Part of {@link BackendConformance}; tolerances are those of
 * {@link OpFamily#FUSED}.
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

    @Test
    default void attentionWindowEdges() {
        int u = AttentionSpec.UNBOUNDED;
        int[][] sides = {{0, 0}, {1, 0}, {0, 1}, {1, 1}, {2, 3}, {0, u}, {u, 0}, {6, 6}, {40, 40}};
        for (int c = 0; c < sides.length; c++) {
            AttentionSpec sp = new AttentionSpec(2, 2, 7, 7, 4, 3, 0.5f, false, 0f, 0L);
            checkAttention(sp.withWindow(sides[c][0], sides[c][1]), null, 20 + c);
        }
    }

    @Test
    default void attentionWindowCachedKeysAndShortKeys() {
        // L < S: the last query is aligned with the last key (a decoding step over cached keys)
        checkAttention(new AttentionSpec(1, 2, 3, 9, 4, 4, 0.5f, false, 0f, 0L).withWindow(2, 1), null, 31);
        checkAttention(new AttentionSpec(2, 1, 1, 9, 4, 4, 0.5f, false, 0f, 0L).withWindow(3, 0), null, 32);
        // L > S: the first queries' windows lie before key 0, so with left = right = 0 they see nothing
        checkAttention(new AttentionSpec(1, 2, 5, 3, 4, 2, 0.5f, false, 0f, 0L).withWindow(0, 0), null, 33);
        checkAttention(new AttentionSpec(1, 1, 6, 4, 4, 2, 0.5f, false, 0f, 0L).withWindow(1, 2), null, 34);
    }

    @Test
    default void attentionWindowCausal() {
        checkAttention(new AttentionSpec(1, 2, 9, 9, 4, 4, 0.5f, true, 0f, 0L).withWindow(3, 0), null, 41);
        checkAttention(new AttentionSpec(2, 1, 4, 10, 4, 3, 0.5f, true, 0f, 0L).withWindow(2, 0), null, 42);
        checkAttention(new AttentionSpec(1, 1, 6, 6, 4, 3, 0.5f, true, 0f, 0L).withWindow(0, 5), null, 43);
        checkAttention(new AttentionSpec(1, 1, 6, 3, 4, 3, 0.5f, true, 0f, 0L).withWindow(1, 0), null, 44);
    }

    @Test
    default void attentionWindowWithKeyPaddingAndFullyMaskedRows() {
        AttentionSpec sp = new AttentionSpec(3, 2, 6, 6, 4, 3, 0.5f, false, 0f, 0L).withWindow(1, 1);
        float ninf = Float.NEGATIVE_INFINITY;
        // batch 0 keeps keys 0-3 (queries 5 sees only padding: a fully masked row inside the window),
        // batch 1 keeps none (a fully masked problem), batch 2 keeps all
        float[] pad = {0, 0, 0, 0, ninf, ninf, ninf, ninf, ninf, ninf, ninf, ninf, 0, 0, 0, 0, 0, 0};
        checkAttention(sp, new float[][] {pad, {6, 0, 0, 1}}, 51);
        AttentionSpec causal = new AttentionSpec(2, 2, 5, 8, 4, 4, 0.5f, true, 0f, 0L).withWindow(2, 0);
        float[] bias = random(new Random(52), 2 * 2 * 5 * 8);
        bias[3 * 8 + 5] = ninf;
        bias[4 * 8 + 7] = ninf;
        checkAttention(causal, new float[][] {bias, {80, 40, 8, 1}}, 53);
    }

    @Test
    default void attentionWindowDropout() {
        // the keep mask of (bh, i, j) is the global one's: counter (bh * L + i) * S + j
        checkAttention(new AttentionSpec(2, 2, 8, 8, 4, 3, 0.5f, false, 0.3f, 99L).withWindow(2, 1), null, 61);
        checkAttention(new AttentionSpec(1, 2, 5, 9, 4, 4, 0.5f, true, 0.25f, 7L).withWindow(3, 0), null, 62);
    }

    @Test
    default void attentionWindowSpanningBlocks() {
        // long enough that blocked kernels have several query and key blocks, windows crossing their edges
        checkAttention(new AttentionSpec(1, 2, 150, 150, 4, 3, 0.3f, false, 0f, 0L).withWindow(20, 5), null, 71);
        checkAttention(new AttentionSpec(1, 1, 200, 200, 5, 4, 0.3f, true, 0.2f, 5L).withWindow(70, 0), null, 72);
        checkAttention(new AttentionSpec(1, 1, 130, 210, 4, 4, 0.3f, true, 0f, 0L).withWindow(33, 0), null, 73);
        checkAttention(new AttentionSpec(2, 1, 97, 97, 4, 4, 0.3f, false, 0f, 0L).withWindow(0, 66), null, 74);
    }

    /**
     * Runs forward and backward on the backend and compares with the oracle; a windowed {@code sp} is
     * compared with the unwindowed oracle under the band bias.
     */
    private void checkAttention(AttentionSpec sp, float[][] biasAndStrides, long seed) {
        Backend be = backend();
        Random r = new Random(seed);
        int bh = sp.problems();
        float[] q = random(r, bh * sp.queries() * sp.headDim());
        float[] k = random(r, bh * sp.keys() * sp.headDim());
        float[] v = random(r, bh * sp.keys() * sp.valueDim());
        float[] g = random(r, bh * sp.queries() * sp.valueDim());
        float[] denseBias = biasAndStrides == null ? null : expand(sp, biasAndStrides[0], biasAndStrides[1]);
        AttentionSpec global = new AttentionSpec(sp.batch(), sp.heads(), sp.queries(), sp.keys(), sp.headDim(),
                sp.valueDim(), sp.scale(), sp.causal(), sp.dropout(), sp.seed());
        if (!global.equals(sp)) {
            denseBias = band(sp, denseBias);
        }
        AttentionOracle want = new AttentionOracle(global, q, k, v, denseBias, g);
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

    /** {@code bias} (dense, or null for zeros) plus -Inf where key j lies outside query i's window. */
    private static float[] band(AttentionSpec sp, float[] bias) {
        int l = sp.queries();
        int s = sp.keys();
        float[] out = bias == null ? new float[sp.problems() * l * s] : bias.clone();
        for (int bh = 0; bh < sp.problems(); bh++) {
            for (int i = 0; i < l; i++) {
                long aligned = (long) i + s - l;
                for (int j = 0; j < s; j++) {
                    boolean before = sp.windowLeft() != AttentionSpec.UNBOUNDED && j < aligned - sp.windowLeft();
                    boolean after = sp.windowRight() != AttentionSpec.UNBOUNDED && j > aligned + sp.windowRight();
                    if (before || after) {
                        out[(bh * l + i) * s + j] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
        }
        return out;
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
