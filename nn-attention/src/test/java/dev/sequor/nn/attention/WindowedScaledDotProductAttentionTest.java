package dev.sequor.nn.attention;

import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.AttentionSpec;
import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ScaledDotProductAttention} with a window equals global attention under the equivalent band mask,
 * in the output, the q/k/v gradients, the gradient of a learned additive mask and the returned weights,
 * at the window's edges, with {@code L != S}, causal, padding lengths, dropout and fully masked rows.
 */
class WindowedScaledDotProductAttentionTest {

    private static final int U = AttentionSpec.UNBOUNDED;
    private final Backend be = Backends.get("reference");

    /** Keep {@code j} for query {@code i} iff {@code -left <= j - (i + S - L) <= right}, written independently of the spec. */
    private Tensor band(int l, int s, int left, int right) {
        float[] bias = new float[l * s];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < s; j++) {
                long d = (long) j - (i + s - l);
                boolean in = (left == U || d >= -left) && (right == U || d <= right);
                bias[i * s + j] = in ? 0f : Float.NEGATIVE_INFINITY;
            }
        }
        return Tensor.of(be, bias, l, s);
    }

    /**
     * Runs windowed and band-masked global attention with the same inputs and upstream gradient.
     *
     * @param lengths key lengths per sequence (B = 2), or null
     * @param hole    a query row whose in-window keys are all masked (its out-of-window keys stay visible), or -1
     */
    private void compare(int l, int s, int left, int right, boolean causal, int[] lengths, int hole, float dropout) {
        String what = "L=" + l + " S=" + s + " window (" + left + ", " + right + ")" + (causal ? " causal" : "")
                + (lengths != null ? " lengths" : "") + (hole >= 0 ? " hole " + hole : "") + " dropout " + dropout;
        try (Scope sc = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(11), 2, 2, l, 4).requiresGrad(true);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(12), 2, 2, s, 4).requiresGrad(true);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(13), 2, 2, s, 3).requiresGrad(true);
            Tensor g = Tensor.normal(be, 0, 1, Seed.of(14), 2, 2, l, 3);
            // a learned (L, S) bias, so the mask gradient is compared too
            float[] m = Tensor.normal(be, 0, 1, Seed.of(15), l, s).toFloatArray();
            if (hole >= 0) {
                Tensor full = band(l, s, left, causal ? 0 : right);
                float[] in = full.toFloatArray();
                for (int j = 0; j < s; j++) {
                    if (in[hole * s + j] == 0f) {
                        m[hole * s + j] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
            Tensor learned = Tensor.of(be, m, l, s).requiresGrad(true);
            Tensor padding = lengths == null ? null : Mask.keepLengths(be, lengths, s).bias().reshape(2, 1, 1, s);
            // each pass builds its own graph from the learned leaf
            Supplier<Tensor> extra = () -> padding == null ? learned.reshape(1, 1, l, s)
                    : learned.reshape(1, 1, l, s).add(padding);
            float scale = 0.5f;
            Seed seed = Seed.of(77);

            Tensor windowed = ScaledDotProductAttention.apply(q, k, v, Mask.additive(extra.get()), causal, dropout,
                    seed, scale, left, right)
                    .output();
            windowed.mul(g).sum().backward();
            List<float[]> wg = grads(q, k, v, learned);
            Tensor globalOut = ScaledDotProductAttention.apply(q, k, v, Mask.additive(extra.get().add(band(l, s, left, right))),
                    causal, dropout, seed, scale).output();
            globalOut.mul(g).sum().backward();
            List<float[]> gg = grads(q, k, v, learned);

            Golden.assertArrayClose("output, " + what, globalOut.toFloatArray(), windowed.toFloatArray(), 1e-6);
            String[] names = {"dq", "dk", "dv", "dmask"};
            for (int n = 0; n < names.length; n++) {
                Golden.assertArrayClose(names[n] + ", " + what, gg.get(n), wg.get(n), 1e-5);
            }
            Tensor ww = ScaledDotProductAttention.weights(q, k, Mask.additive(extra.get()), causal, scale, dropout, seed, left, right);
            Tensor gw = ScaledDotProductAttention.weights(q, k, Mask.additive(extra.get().add(band(l, s, left, right))),
                    causal, scale, dropout, seed);
            Golden.assertArrayClose("weights, " + what, gw.toFloatArray(), ww.toFloatArray(), 1e-6);
            if (hole >= 0) {
                float[] o = windowed.toFloatArray();
                for (int c = 0; c < 3; c++) {
                    assertThat(o[hole * 3 + c]).as("hole row, %s", what).isEqualTo(0f);
                }
            }
        }
    }

    private static List<float[]> grads(Tensor... ts) {
        List<float[]> out = new ArrayList<>();
        for (Tensor t : ts) {
            out.add(t.grad() == null ? new float[(int) t.numel()] : t.grad().toFloatArray());
            t.zeroGrad();
        }
        return out;
    }

    @Test
    void windowEdgesSelfAttention() {
        compare(7, 7, 0, 0, false, null, -1, 0f);
        compare(7, 7, 1, 2, false, null, -1, 0f);
        compare(7, 7, 2, 0, true, null, -1, 0f);
        compare(7, 7, 6, 6, false, null, -1, 0f);
        compare(7, 7, 5, 5, false, null, -1, 0f);
    }

    @Test
    void oneSidedAndUnboundedWindows() {
        compare(6, 6, U, 1, false, null, -1, 0f);
        compare(6, 6, 1, U, false, null, -1, 0f);
        compare(6, 6, 2, U, true, null, -1, 0f);
    }

    @Test
    void queriesAndKeysOfDifferentLengths() {
        compare(4, 9, 2, 1, false, null, -1, 0f);
        compare(1, 9, 3, 0, true, null, -1, 0f);
        // L > S: the first queries' windows lie before key 0, so their rows are empty
        compare(8, 3, 1, 0, false, null, -1, 0f);
    }

    @Test
    void withLengthsFullyMaskedRowsAndDropout() {
        compare(7, 7, 2, 1, false, new int[] {7, 3}, -1, 0f);
        compare(7, 7, 2, 0, true, new int[] {0, 5}, -1, 0f);
        compare(7, 7, 1, 1, false, null, 4, 0f);
        compare(7, 7, 2, 2, true, new int[] {6, 2}, 5, 0.3f);
        compare(5, 8, 1, 2, false, null, -1, 0.4f);
    }

    @Test
    void windowedGradientsMatchFiniteDifferences() {
        try (Scope s = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(4), 2, 1, 5, 3).requiresGrad(true);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(5), 2, 1, 5, 3).requiresGrad(true);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(6), 2, 1, 5, 2).requiresGrad(true);
            Tensor g = Tensor.normal(be, 0, 1, Seed.of(7), 2, 1, 5, 2);
            Mask pad = Mask.additive(Mask.keepLengths(be, new int[] {5, 3}, 5).bias().reshape(2, 1, 1, 5));
            GradCheck.check(() -> ScaledDotProductAttention.apply(q, k, v, pad, false, 0f, Seed.of(0), 0.7f, 1, 1)
                    .output().mul(g).sum(), List.of(q, k, v), 1e-2f, 2e-3);
        }
    }
}
