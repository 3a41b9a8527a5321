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
 * that window. Cost is still {@code O(L S)} in the default kernel (the window is a mask); the mask
 * makes a long sequence's context local.
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
        int l = q.size(-2);
        int s = k.size(-2);
        Mask band = band(q.backend(), l, s);
        Mask combined = band;
        if (mask != null) {
            Tensor extra = mask.bias();
            if (Arrays.equals(mask.shape(), new int[] {q.size(0), s})) {
                extra = q.rank() == 4 ? extra.reshape(q.size(0), 1, 1, s) : extra.reshape(q.size(0), 1, s);
            }
            combined = Mask.additive(extra.add(band.bias()));
        }
        float scale = (float) (1 / Math.sqrt(q.size(-1)));
        Tensor out = ScaledDotProductAttention.apply(q, k, v, combined, false, 0f, Seed.of(0L), scale).output();
        Tensor w = withWeights ? ScaledDotProductAttention.weights(q, k, combined, false, scale) : null;
        return new AttentionOutput(out, w);
    }

    /** @return the {@code (L, S)} band of visible keys */
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
