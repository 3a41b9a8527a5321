package dev.sequor.nn.attention;

import dev.sequor.core.Grad;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

import java.util.Arrays;

/**
 * Predictive local attention, "local-p" of Luong, Pham and Manning (2015, section 3.2, eqs. 9-10). Each
 * query {@code h_t} predicts its aligned source position
 * <pre>
 *   p_t = S * sigmoid(v_p^T tanh(W_p h_t))                      in [0, S]
 * </pre>
 * and attends to the keys {@code s} in the window {@code [floor(p_t) - D, floor(p_t) + D]} (clipped to
 * {@code [0, S)}) with
 * <pre>
 *   a_t(s) = softmax_{s in window}(scale h_t . k_s) * exp(-(s - p_t)^2 / (2 sigma^2)),   sigma = D / 2
 *   out_t  = sum_s a_t(s) v_s
 * </pre>
 * The Gaussian is applied after the softmax, so the weights of a row do not sum to one (as in the paper).
 * {@code W_p (hidden, E)} and {@code v_p (hidden)} are trainable: the window's centre {@code floor(p_t)} is
 * piecewise constant, so their gradient flows through {@code p_t} in the Gaussian, as in the paper.
 *
 * <p>Only the window is computed: the {@code 2D + 1} keys and values of each query are gathered with
 * {@link Tensor#indexSelect} into {@code (B, L, 2D + 1, E)}, so the scores are {@code (B, L, 2D + 1)} and a
 * call costs {@code O(B L D (E + Ev))} time and memory, not {@code O(B L S)}. Window slots outside
 * {@code [0, S)} or on padded keys are masked; a query whose whole window is masked gets a zero output.
 *
 * <p>Shapes: query {@code (B, L, E)}, key {@code (B, S, E)}, value {@code (B, S, Ev)}, output
 * {@code (B, L, Ev)}. Parameters are named {@code w_p} and {@code v_p}.
 */
public final class LocalPredictiveAttention extends Module {

    private final int halfWidth;
    private final Tensor wP;
    private final Tensor vP;

    /**
     * @param queryDim  {@code E}, the width of {@code h_t}
     * @param hidden    the width of {@code W_p}'s output
     * @param halfWidth {@code D >= 1}: the window holds {@code 2D + 1} keys and {@code sigma = D / 2}
     */
    public LocalPredictiveAttention(Backend backend, int queryDim, int hidden, int halfWidth, Seed seed) {
        super(backend);
        if (queryDim < 1 || hidden < 1 || halfWidth < 1) {
            throw new IllegalArgumentException("LocalPredictiveAttention: queryDim, hidden and halfWidth must be >= 1, got "
                    + queryDim + ", " + hidden + ", " + halfWidth);
        }
        this.halfWidth = halfWidth;
        float bw = (float) Math.sqrt(6.0 / (queryDim + hidden));
        wP = registerParameter("w_p", Tensor.uniform(backend, -bw, bw, seed, hidden, queryDim));
        float bv = (float) Math.sqrt(3.0 / hidden);
        vP = registerParameter("v_p", Tensor.uniform(backend, -bv, bv, Seed.of(seed.value() + 1), hidden));
    }

    /** @return {@code D} */
    public int halfWidth() {
        return halfWidth;
    }

    /** @return {@code p_t = S sigmoid(v_p^T tanh(W_p h_t))}, {@code (B, L)}, differentiable in the parameters */
    public Tensor positions(Tensor q, int keys) {
        Tensor hid = q.matmulTransposed(wP).tanh(); // (B, L, hidden)
        Tensor score = hid.matmul(vP.reshape(vP.size(0), 1)); // (B, L, 1)
        return score.reshape(q.size(0), q.size(1)).sigmoid().mul(keys);
    }

    /**
     * @param keyPadding a {@code (B, S)} key padding mask, or null
     * @param withWeights whether to return the dense {@code (B, L, S)} weights {@code a_t(s)} too (zero outside
     *                    the window; this alone costs {@code O(B L D S)})
     * @return the output {@code (B, L, Ev)} and, if asked, the weights
     */
    public AttentionOutput forward(Tensor q, Tensor k, Tensor v, Mask keyPadding, boolean withWeights) {
        if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3 || k.size(0) != q.size(0) || v.size(0) != q.size(0)
                || k.size(2) != q.size(2) || v.size(1) != k.size(1)) {
            throw new IllegalArgumentException("LocalPredictiveAttention: expected q (B, L, E), k (B, S, E), v (B, S, Ev),"
                    + " got q " + Arrays.toString(q.shape()) + ", k " + Arrays.toString(k.shape()) + ", v "
                    + Arrays.toString(v.shape()));
        }
        int b = q.size(0);
        int l = q.size(1);
        int e = q.size(2);
        int s = k.size(1);
        int ev = v.size(2);
        int w = 2 * halfWidth + 1;
        if (keyPadding != null && !Arrays.equals(keyPadding.shape(), new int[] {b, s})) {
            throw new IllegalArgumentException("LocalPredictiveAttention: key padding " + keyPadding + " must be (B, S) = "
                    + Arrays.toString(new int[] {b, s}) + ", got " + Arrays.toString(keyPadding.shape()));
        }
        Backend be = q.backend();
        Tensor p = positions(q, s); // (B, L)
        float[] centre;
        try (Grad g = Grad.disabled()) {
            centre = p.toFloatArray();
        }
        // slot m of query (b, i) is key floor(p) - D + m; out-of-range slots read key 0 and are masked
        float[] index = new float[b * l * w];
        float[] slot = new float[b * l * w];
        float[] outside = new float[b * l * w];
        for (int bi = 0; bi < b * l; bi++) {
            int first = (int) Math.floor(centre[bi]) - halfWidth;
            for (int m = 0; m < w; m++) {
                int j = first + m;
                boolean in = j >= 0 && j < s;
                int at = bi * w + m;
                index[at] = (bi / l) * s + (in ? j : 0);
                slot[at] = j;
                outside[at] = in ? 0f : Float.NEGATIVE_INFINITY;
            }
        }
        Tensor idx = Tensor.of(be, index, b * l * w);
        Tensor kw = k.reshape(b * s, e).indexSelect(0, idx).reshape(b, l, w, e); // (B, L, W, E)
        Tensor vw = v.reshape(b * s, ev).indexSelect(0, idx).reshape(b, l, w, ev); // (B, L, W, Ev)
        float scale = (float) (1.0 / Math.sqrt(e));
        Tensor scores = kw.matmul(q.unsqueeze(3)).reshape(b, l, w).mul(scale); // (B, L, W)
        Tensor bias = Tensor.of(be, outside, b, l, w);
        if (keyPadding != null) {
            bias = bias.add(keyPadding.bias().reshape(b * s).indexSelect(0, idx).reshape(b, l, w));
        }
        Tensor align = MaskedSoftmax.apply(scores, Mask.additive(bias), "LocalPredictiveAttention");
        double sigma = halfWidth / 2.0;
        Tensor dist = Tensor.of(be, slot, b, l, w).sub(p.unsqueeze(2)); // (B, L, W): s - p_t
        Tensor gauss = dist.square().mul((float) (-1 / (2 * sigma * sigma))).exp();
        Tensor a = align.mul(gauss); // (B, L, W)
        Tensor out = a.unsqueeze(2).matmul(vw).reshape(b, l, ev); // (B, L, 1, W) @ (B, L, W, Ev)
        return new AttentionOutput(out, withWeights ? dense(a, slot, b, l, s, w) : null);
    }

    /** Scatters the window weights {@code (B, L, W)} to {@code (B, L, S)} with a one-hot {@code (B, L, W, S)}. */
    private static Tensor dense(Tensor a, float[] slot, int b, int l, int s, int w) {
        float[] hot = new float[b * l * w * s];
        for (int at = 0; at < slot.length; at++) {
            int j = (int) slot[at];
            if (j >= 0 && j < s) {
                hot[at * s + j] = 1f;
            }
        }
        Tensor oneHot = Tensor.of(a.backend(), hot, b, l, w, s);
        return a.unsqueeze(2).matmul(oneHot).reshape(b, l, s); // (B, L, 1, W) @ (B, L, W, S)
    }
}
