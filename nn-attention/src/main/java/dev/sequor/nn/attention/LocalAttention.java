package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import java.util.Arrays;

/**
 * Local (windowed) scaled dot-product attention, the monotonic "local-m" alignment of Luong, Pham and
 * Manning (2015, section 3.2) applied to every query: query {@code i}, aligned to key position
 * {@code p_i = i + (S - L)}, attends only to keys {@code j} with {@code |j - p_i| <= window}
 * ({@code p_i - window <= j <= p_i} when causal), with weights {@code softmax(q k^T / sqrt(E))} over
 * that window. It runs on the fused kernel with the window {@code (window, causal ? 0 : window)}
 * ({@link ScaledDotProductAttention#apply(Tensor, Tensor, Tensor, Mask, boolean, float, Seed, float, int, int)}),
 * so a backend with a windowed kernel costs {@code O(L window)} per head and never scores the keys outside
 * it; the default kernel masks them. Only {@code withWeights} writes out the dense {@code (.., L, S)} weights.
 *
 * <p>The predictive variant "local-p", whose window centre is learned, is {@link LocalPredictiveAttention}.
 *
 * <p>Shapes as {@link ScaledDotProductAttention}: {@code (B, L, E)} or {@code (B, H, L, E)}. An extra
 * mask broadcasts to the scores; a {@code (B, S)} mask is taken as key padding.
 */
public final class LocalAttention {

    private final int window;
    private final boolean causal;

    /**
     * @param window {@code k >= 0}, how many keys on each side (or before, when causal) are visible
     * @param causal whether the window looks back only
     */
    public LocalAttention(int window, boolean causal) {
        if (window < 0) {
            throw new IllegalArgumentException("LocalAttention: window must be >= 0, got " + window);
        }
        this.window = window;
        this.causal = causal;
    }

    /** @return the window {@code k} */
    public int window() {
        return window;
    }

    /**
     * @param mask        extra mask (key padding {@code (B, S)} or broadcastable to the scores), or null
     * @param withWeights whether to return the {@code (.., L, S)} weights too
     * @return the output {@code (.., L, Ev)} and, if asked, the weights
     */
    public AttentionOutput forward(Tensor q, Tensor k, Tensor v, Mask mask, boolean withWeights) {
        int s = k.size(-2);
        Mask extra = mask;
        if (mask != null && Arrays.equals(mask.shape(), new int[] {q.size(0), s})) {
            Tensor pad = mask.bias();
            extra = Mask.additive(q.rank() == 4 ? pad.reshape(q.size(0), 1, 1, s) : pad.reshape(q.size(0), 1, s));
        }
        float scale = (float) (1 / Math.sqrt(q.size(-1)));
        int right = causal ? 0 : window;
        Tensor out = ScaledDotProductAttention.apply(q, k, v, extra, causal, 0f, Seed.of(0L), scale, window, right)
                .output();
        Tensor w = withWeights
                ? ScaledDotProductAttention.weights(q, k, extra, causal, scale, 0f, Seed.of(0L), window, right) : null;
        return new AttentionOutput(out, w);
    }

    /** @return the {@code (L, S)} band of visible keys, as an explicit mask (the forward does not build it) */
    public Mask band(Backend backend, int queries, int keys) {
        float[] keep = new float[queries * keys];
        for (int i = 0; i < queries; i++) {
            int p = i + keys - queries;
            int hi = causal ? p : p + window;
            for (int j = Math.max(0, p - window); j <= Math.min(keys - 1, hi); j++) {
                keep[i * keys + j] = 1f;
            }
        }
        return Mask.keepWhere(Tensor.of(backend, keep, queries, keys));
    }
}
