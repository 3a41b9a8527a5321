package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.FusedKernels;
import dev.sequor.core.Tensor;
import dev.sequor.spi.AttentionSpec;
import dev.sequor.spi.Backend;

import java.util.Arrays;

/**
 * Scaled dot-product attention (Vaswani et al. 2017, eq. 1),
 * {@code Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k) + M) V}, on the backend's fused kernel
 * ({@link Backend#attentionForward}, {@link Backend#attentionBackward}) with its gradient.
 *
 * <p>Shapes: {@code q (B, H, L, E)}, {@code k (B, H, S, E)}, {@code v (B, H, S, Ev)} give
 * {@code (B, H, L, Ev)}; rank-3 inputs {@code (B, L, E)} are one head. A mask broadcasts to
 * {@code (B, H, L, S)} (or {@code (B, L, S)}) aligned from the right. {@code causal} lets query
 * {@code i} see key {@code j} only if {@code j <= i + (S - L)}: for {@code L == S} that is PyTorch's
 * {@code is_causal}; for a step of incremental decoding ({@code L = 1}) it sees every cached key.
 * A query with no visible key gets a zero output and zero gradients, never NaN.
 *
 * <p>A window ({@link #apply(Tensor, Tensor, Tensor, Mask, boolean, float, Seed, float, int, int)}) restricts
 * query {@code i} further to keys {@code j} with {@code i + off - left <= j <= i + off + right},
 * {@code off = S - L} (see {@link AttentionSpec}); it is passed to the fused kernel, which on a backend
 * with a windowed kernel never scores the keys outside it, and combines with masks, dropout, causal
 * and the mask gradient exactly as a band mask {@code -Infinity} outside the window would.
 *
 * <p>A float mask ({@link Mask#additive(Tensor)}) whose tensor requires a gradient receives one, as in
 * PyTorch (relative-position biases, learned masks): with {@code Z = scale Q K^T + M},
 * {@code P = softmax(Z)}, dropout scale {@code D} and {@code dP = D * (dO V^T)},
 * {@code dM = P * (dP - rowsum(P * dP))}, summed over the axes along which {@code M} broadcasts.
 */
public final class ScaledDotProductAttention {

    private ScaledDotProductAttention() {
    }

    /** The output and the per-row log-sum-exp of the scores ({@code -Infinity} for a fully masked row). */
    public record Result(Tensor output, Tensor logSumExp) {
    }

    /** {@link #apply(Tensor, Tensor, Tensor, Mask, boolean, float, Seed, float)} with scale {@code 1/sqrt(E)}. */
    public static Tensor apply(Tensor q, Tensor k, Tensor v, Mask mask, boolean causal, float dropout, Seed seed) {
        return apply(q, k, v, mask, causal, dropout, seed, (float) (1.0 / Math.sqrt(q.size(-1)))).output();
    }

    /**
     * @param mask    may be null
     * @param dropout probability of dropping an attention weight (0 at inference)
     * @param seed    the dropout seed (see {@link AttentionSpec#seed()})
     * @param scale   multiplies {@code q . k}
     * @return the output {@code (.., L, Ev)} and the log-sum-exp {@code (.., L)} (no gradient)
     */
    public static Result apply(Tensor q, Tensor k, Tensor v, Mask mask, boolean causal, float dropout, Seed seed,
                               float scale) {
        return apply(q, k, v, mask, causal, dropout, seed, scale, AttentionSpec.UNBOUNDED, AttentionSpec.UNBOUNDED);
    }

    /**
     * Windowed attention: as {@link #apply(Tensor, Tensor, Tensor, Mask, boolean, float, Seed, float)}, with
     * query {@code i} seeing only keys {@code [i + S - L - windowLeft, i + S - L + windowRight]}
     * ({@link AttentionSpec#withWindow}); {@link AttentionSpec#UNBOUNDED} on a side lifts that side.
     *
     * @param windowLeft  keys before the aligned position, {@code >= 0} or {@link AttentionSpec#UNBOUNDED}
     * @param windowRight keys after it, {@code >= 0} or {@link AttentionSpec#UNBOUNDED}
     */
    public static Result apply(Tensor q, Tensor k, Tensor v, Mask mask, boolean causal, float dropout, Seed seed,
                               float scale, int windowLeft, int windowRight) {
        int rank = q.rank();
        if (rank < 3 || rank > 4 || k.rank() != rank || v.rank() != rank) {
            throw new IllegalArgumentException("scaledDotProductAttention: q, k, v must all be (B, L, E) or (B, H, L, E),"
                    + " got q " + Arrays.toString(q.shape()) + ", k " + Arrays.toString(k.shape()) + ", v "
                    + Arrays.toString(v.shape()));
        }
        int[] qs = q.shape();
        int[] ks = k.shape();
        int[] vs = v.shape();
        int batch = qs[0];
        int heads = rank == 4 ? qs[1] : 1;
        int l = qs[rank - 2];
        int e = qs[rank - 1];
        int s = ks[rank - 2];
        int ev = vs[rank - 1];
        boolean leadOk = ks[0] == batch && vs[0] == batch && (rank == 3 || (ks[1] == heads && vs[1] == heads));
        if (!leadOk || ks[rank - 1] != e || vs[rank - 2] != s) {
            throw new IllegalArgumentException("scaledDotProductAttention: expected k (.., S, " + e + ") and v (.., S, Ev)"
                    + " with the leading dimensions of q " + Arrays.toString(qs) + ", got k " + Arrays.toString(ks)
                    + " and v " + Arrays.toString(vs) + " (key/value lengths must match)");
        }
        AttentionSpec spec = new AttentionSpec(batch, heads, l, s, e, ev, scale, causal, dropout, seed.value())
                .withWindow(windowLeft, windowRight);
        Tensor[] outLse = FusedKernels.attention(spec, q, k, v, mask == null ? null : mask.bias(),
                mask == null ? null : maskStrides(mask, qs, s), g -> maskGradient(q, k, v, mask, spec, seed, g));
        return new Result(outLse[0], outLse[1]);
    }

    /**
     * The gradient of the additive mask, {@code dM = P * (dP - rowsum(P * dP))} with
     * {@code dP = D * (gradOut V^T)}, reduced to the mask's shape (run inside the backward, unrecorded).
     */
    private static Tensor maskGradient(Tensor q, Tensor k, Tensor v, Mask mask, AttentionSpec spec, Seed seed,
                                       Tensor gradOut) {
        Tensor p = weights(q, k, mask, spec.causal(), spec.scale(), 0f, seed, spec.windowLeft(),
                spec.windowRight()); // (.., L, S) before dropout
        Tensor dp = gradOut.matmul(v.transpose(-1, -2)); // (.., L, S)
        if (spec.dropout() > 0f) {
            dp = dp.mul(dropoutScale(p, spec.dropout(), seed));
        }
        Tensor pdp = p.mul(dp);
        Tensor ds = pdp.sub(p.mul(pdp.sum(-1, true)));
        int[] ms = mask.shape();
        int rank = ds.rank();
        int[] summed = new int[rank];
        int n = 0;
        for (int a = 0; a < rank; a++) {
            int m = a - (rank - ms.length);
            if (m < 0 || (ms[m] == 1 && ds.size(a) != 1)) {
                summed[n++] = a;
            }
        }
        return (n == 0 ? ds : ds.sum(Arrays.copyOf(summed, n), true)).reshape(ms);
    }

    /**
     * The dropout scale the fused kernel applies: {@code keep / (1 - p)} with the keep mask drawn as
     * {@link AttentionSpec#seed()} specifies, over the problems in order.
     *
     * @param like the weights {@code (.., L, S)}
     */
    private static Tensor dropoutScale(Tensor like, float dropout, Seed seed) {
        float keepRate = 1f - dropout;
        return Tensor.bernoulli(like.backend(), keepRate, seed, like.shape()).mul(1f / keepRate);
    }

    /**
     * The attention weights {@code softmax(scale q k^T + M)} written out with differentiable tensor ops,
     * for layers that return them; a fully masked row is all zeros.
     *
     * @return {@code (.., L, S)}
     */
    public static Tensor weights(Tensor q, Tensor k, Mask mask, boolean causal, float scale) {
        return weights(q, k, mask, causal, scale, 0f, Seed.of(0));
    }

    /**
     * The attention weights as the output used them, after dropout, as PyTorch's
     * {@code MultiheadAttention} returns them with {@code need_weights=True} in training:
     * {@code D * softmax(scale q k^T + M)} where {@code D} is {@code 0} for a dropped weight and
     * {@code 1 / (1 - dropout)} for a kept one, the same draw as {@link #apply} with this {@code seed},
     * so {@code weights V} equals the attention output. With {@code dropout == 0} this is the softmax.
     *
     * @return {@code (.., L, S)}
     */
    public static Tensor weights(Tensor q, Tensor k, Mask mask, boolean causal, float scale, float dropout, Seed seed) {
        return weights(q, k, mask, causal, scale, dropout, seed, AttentionSpec.UNBOUNDED, AttentionSpec.UNBOUNDED);
    }

    /**
     * The weights of windowed attention as the output used them (see
     * {@link #weights(Tensor, Tensor, Mask, boolean, float, float, Seed)}): zero outside the window
     * {@code [i + S - L - windowLeft, i + S - L + windowRight]}. Written out over the full {@code (.., L, S)}
     * score matrix, since the weights themselves are that large.
     *
     * @return {@code (.., L, S)}
     */
    public static Tensor weights(Tensor q, Tensor k, Mask mask, boolean causal, float scale, float dropout, Seed seed,
                                 int windowLeft, int windowRight) {
        Tensor scores = q.matmul(k.transpose(-1, -2)).mul(scale);
        AttentionSpec window = new AttentionSpec(1, 1, q.size(-2), k.size(-2), 1, 1, scale, false, 0f, 0L)
                .withWindow(windowLeft, windowRight);
        if (window.windowed()) {
            scores = scores.add(band(q.backend(), window));
        }
        if (mask != null) {
            maskStrides(mask, q.shape(), k.size(-2));
        }
        if (causal) {
            scores = scores.add(Mask.causal(q.backend(), scores.size(-2), scores.size(-1)).bias());
        }
        Tensor w = MaskedSoftmax.apply(scores, mask, "scaledDotProductAttention");
        return dropout > 0f ? w.mul(dropoutScale(w, dropout, seed)) : w;
    }

    /** @return the {@code (L, S)} additive band of {@code spec}'s window: 0 inside, {@code -Infinity} outside */
    static Tensor band(Backend backend, AttentionSpec spec) {
        int l = spec.queries();
        int s = spec.keys();
        float[] bias = new float[l * s];
        Arrays.fill(bias, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < l; i++) {
            int start = spec.keyStart(i);
            int end = Math.max(start, spec.keyEnd(i));
            Arrays.fill(bias, i * s + start, i * s + end, 0f);
        }
        return Tensor.of(backend, bias, l, s);
    }

    /** Strides of the mask over {@code (batch, heads, L, S)}, checking that it broadcasts. */
    static long[] maskStrides(Mask mask, int[] qShape, int s) {
        int rank = qShape.length;
        int[] target = qShape.clone();
        target[rank - 1] = s;
        int[] ms = mask.shape();
        if (ms.length > rank) {
            throw badMask(mask, target);
        }
        long[] strides = new long[rank];
        long stride = 1;
        for (int a = 1; a <= ms.length; a++) {
            int size = ms[ms.length - a];
            if (size != 1 && size != target[rank - a]) {
                throw badMask(mask, target);
            }
            strides[rank - a] = size == 1 ? 0 : stride;
            stride *= size;
        }
        long[] four = rank == 4 ? strides : new long[] {strides[0], 0, strides[1], strides[2]};
        return four;
    }

    private static IllegalArgumentException badMask(Mask mask, int[] target) {
        return new IllegalArgumentException("scaledDotProductAttention: " + mask + " of shape "
                + Arrays.toString(mask.shape()) + " does not broadcast to the scores " + Arrays.toString(target));
    }
}
