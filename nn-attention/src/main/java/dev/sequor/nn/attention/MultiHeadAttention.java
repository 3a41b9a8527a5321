package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Module;
import dev.sequor.spi.AttentionSpec;
import dev.sequor.spi.Backend;

import java.util.Arrays;
import java.util.List;

/**
 * Multi-head attention (Vaswani et al. 2017, section 3.2.2):
 * {@code MultiHead(Q, K, V) = Concat(head_1, ..., head_H) W^O} with
 * {@code head_h = Attention(Q W_h^Q, K W_h^K, V W_h^V)}, each head of width {@code E / H}, on the
 * backend's fused scaled-dot-product kernel.
 *
 * <p>Shapes are batch-first: query {@code (B, L, E)}, key {@code (B, S, kdim)}, value {@code (B, S, vdim)},
 * output {@code (B, L, E)}. Parameters are PyTorch's {@code nn.MultiheadAttention}: {@code in_proj_weight
 * (3E, E)} (or {@code q_proj_weight (E, E)}, {@code k_proj_weight (E, kdim)}, {@code v_proj_weight (E, vdim)}
 * when kdim or vdim differ from E), {@code in_proj_bias (3E)}, {@code out_proj.weight (E, E)},
 * {@code out_proj.bias (E)}; initialised as PyTorch (Xavier-uniform projections, zero biases).
 *
 * <p>Masks have one meaning each, named by their factory ({@link Mask}); a query that can see no key
 * outputs {@code out_proj.bias} (its context is zero) rather than NaN as PyTorch does.
 *
 * <p>With {@link MultiHeadAttentionConfig#window()} {@code w > 0} each query sees only keys within
 * {@code w - 1} positions of it (causal: the {@code w} keys ending at it). Without masks, dropout or
 * returned weights that runs on {@link WindowedAttention} in {@code O(L w)}; otherwise on the fused kernel
 * with the same window ({@link AttentionSpec#withWindow}), which keeps every mask, dropout and the
 * returned weights, and which a backend with a windowed kernel runs without scoring keys outside it.
 * With a growing {@link KvCache.Entry} (decoding, causal) the entry keeps only the last {@code w} keys and
 * values after each call, all that later queries can see; masks given during such decoding must then be
 * shaped for the cached keys.
 */
public class MultiHeadAttention extends Module {

    private final MultiHeadAttentionConfig config;
    private final Tensor inProjWeight;
    private final Tensor qProjWeight;
    private final Tensor kProjWeight;
    private final Tensor vProjWeight;
    private final Tensor inProjBias;
    private final Linear outProj;
    private long dropoutSeed;

    /** Self- or cross-attention with {@code E} and {@code H} on the session backend. */
    public MultiHeadAttention(int embedDim, int numHeads) {
        this(Backends.get(), MultiHeadAttentionConfig.of(embedDim, numHeads));
    }

    /** A layer configured by {@code config} whose parameters live on {@code backend}. */
    public MultiHeadAttention(Backend backend, MultiHeadAttentionConfig config) {
        super(backend);
        this.config = config;
        int e = config.embedDim();
        long seed = config.seed().value();
        if (config.packed()) {
            inProjWeight = registerParameter("in_proj_weight", xavier(backend, 3 * e, e, seed));
            qProjWeight = null;
            kProjWeight = null;
            vProjWeight = null;
        } else {
            inProjWeight = null;
            qProjWeight = registerParameter("q_proj_weight", xavier(backend, e, e, seed));
            kProjWeight = registerParameter("k_proj_weight", xavier(backend, e, config.kdim(), seed + 1));
            vProjWeight = registerParameter("v_proj_weight", xavier(backend, e, config.vdim(), seed + 2));
        }
        inProjBias = config.bias() ? registerParameter("in_proj_bias", Tensor.zeros(backend, 3 * e)) : null;
        outProj = registerModule("out_proj", new Linear(backend, e, e, config.bias(), Seed.of(seed + 3)));
        if (config.bias()) {
            outProj.bias().fillInPlace(0f);
        }
        dropoutSeed = seed * 0x9E3779B97F4A7C15L + 17;
    }

    private static Tensor xavier(Backend backend, int out, int in, long seed) {
        float bound = (float) Math.sqrt(6.0 / (in + out));
        return Tensor.uniform(backend, -bound, bound, Seed.of(seed), out, in);
    }

    /** @return the configuration */
    public MultiHeadAttentionConfig config() {
        return config;
    }

    /** @return the attention output {@code (B, L, E)} without masks */
    public Tensor forward(Tensor query, Tensor key, Tensor value) {
        return forward(query, key, value, AttentionConfig.NONE).output();
    }

    /**
     * @param query {@code (B, L, E)}
     * @param key   {@code (B, S, kdim)}
     * @param value {@code (B, S, vdim)}
     * @return the output {@code (B, L, E)} and, if asked for, the weights ({@code (B, L, S)} averaged or
     *         {@code (B, H, L, S)} per head). As PyTorch's {@code need_weights=True}, they are the weights
     *         the output was computed with, after dropout: in training with dropout {@code p} a dropped
     *         weight is 0 and a kept one is {@code softmax(..) / (1 - p)} (rows no longer sum to 1), and
     *         {@code weights V} is the attention output; in evaluation they are the softmax.
     */
    public AttentionOutput forward(Tensor query, Tensor key, Tensor value, AttentionConfig options) {
        return forward(query, key, value, options, null);
    }

    /**
     * One call of incremental decoding. With a growing {@code cache} entry (self-attention), the new
     * positions' keys and values are projected, appended, and the queries attend to everything cached
     * (with {@code options.causal()} aligned to the last key). With a fixed entry (cross-attention), the
     * first call projects {@code key}/{@code value} and later calls reuse them ({@code key} and
     * {@code value} may then be null). Equals the full forward over the whole prefix. With a window
     * {@code w}, a growing entry is cut to its last {@code w} positions after the call.
     *
     * @param cache the layer's entry in a {@link KvCache}, or null for an ordinary forward
     */
    public AttentionOutput forward(Tensor query, Tensor key, Tensor value, AttentionConfig options,
                                   KvCache.Entry cache) {
        int e = config.embedDim();
        int h = config.numHeads();
        if (query.rank() != 3 || query.size(2) != e) {
            throw new IllegalArgumentException("MultiHeadAttention: query must be (B, L, " + e + "), got "
                    + Arrays.toString(query.shape()));
        }
        int b = query.size(0);
        int l = query.size(1);
        boolean reuse = cache != null && cache.fixed() && !cache.isEmpty();
        Tensor[] qkv = reuse ? new Tensor[] {linear(query, weight(0), bias(0)), null, null} : project(query, key, value);
        Tensor qh = heads(qkv[0]); // (B, H, L, E/H)
        Tensor kh;
        Tensor vh;
        if (cache == null) {
            kh = heads(qkv[1]);
            vh = heads(qkv[2]);
        } else {
            if (!reuse) {
                cache.append(heads(qkv[1]), heads(qkv[2]));
            }
            kh = cache.keys();
            vh = cache.values();
        }
        int s = kh.size(2);
        Mask mask = combinedMask(options, b, h, l, s);
        float scale = (float) (1.0 / Math.sqrt(config.headDim()));
        float p = isTraining() ? config.dropout() : 0f;
        long seed = p > 0f ? dropoutSeed++ : 0L;
        int w = config.window();
        int left = w > 0 ? w - 1 : AttentionSpec.UNBOUNDED;
        int right = w > 0 ? (options.causal() ? 0 : w - 1) : AttentionSpec.UNBOUNDED;
        // plain windowed attention keeps the O(L w) tensor-op path on every backend; masks, dropout or weights
        // go to the fused kernel with the same window, which a windowed backend kernel also runs in O(L w)
        boolean blocked = w > 0 && mask == null && p == 0f && s >= l && options.weights() == AttentionConfig.Weights.NONE;
        Tensor ctx = blocked
                ? WindowedAttention.apply(qh, kh, vh, left, right, null, scale, WindowedAttention.defaultBlock(left, right))
                : ScaledDotProductAttention.apply(qh, kh, vh, mask, options.causal(), p, Seed.of(seed), scale, left, right)
                        .output();
        if (w > 0 && cache != null && !cache.fixed()) {
            cache.keepLast(w);
        }
        Tensor merged = ctx.permute(0, 2, 1, 3).reshape(b, l, e); // (B, L, E)
        Tensor out = outProj.forward(merged);
        Tensor weights = switch (options.weights()) {
            case NONE -> null;
            case PER_HEAD -> ScaledDotProductAttention.weights(qh, kh, mask, options.causal(), scale, p, Seed.of(seed),
                    left, right);
            case AVERAGED -> ScaledDotProductAttention.weights(qh, kh, mask, options.causal(), scale, p, Seed.of(seed),
                    left, right).mean(1, false);
        };
        return new AttentionOutput(out, weights);
    }

    /** Projects query, key and value: {@code (B, L, E)}, {@code (B, S, E)}, {@code (B, S, E)}. */
    private Tensor[] project(Tensor query, Tensor key, Tensor value) {
        int e = config.embedDim();
        if (key == null || value == null || key.rank() != 3 || value.rank() != 3 || key.size(2) != config.kdim()
                || value.size(2) != config.vdim()) {
            throw new IllegalArgumentException("MultiHeadAttention: expected key (B, S, " + config.kdim() + ") and value (B, S, "
                    + config.vdim() + "), got key " + shape(key) + " and value " + shape(value));
        }
        if (key.size(0) != query.size(0) || value.size(0) != query.size(0) || key.size(1) != value.size(1)) {
            throw new IllegalArgumentException("MultiHeadAttention: query " + shape(query) + ", key " + shape(key)
                    + " and value " + shape(value) + " must share the batch size, and key and value the length");
        }
        if (inProjWeight != null && query == key && key == value) {
            // self-attention: one GEMM for all three projections
            Tensor qkv = linear(query, inProjWeight, inProjBias); // (B, L, 3E)
            List<Tensor> parts = qkv.split(2, e, e, e);
            return parts.toArray(new Tensor[0]);
        }
        return new Tensor[] {linear(query, weight(0), bias(0)), linear(key, weight(1), bias(1)),
            linear(value, weight(2), bias(2))};
    }

    private Tensor weight(int which) {
        if (inProjWeight == null) {
            return which == 0 ? qProjWeight : which == 1 ? kProjWeight : vProjWeight;
        }
        int e = config.embedDim();
        return inProjWeight.narrow(0, which * e, e);
    }

    private Tensor bias(int which) {
        int e = config.embedDim();
        return inProjBias == null ? null : inProjBias.narrow(0, which * e, e);
    }

    private static Tensor linear(Tensor x, Tensor w, Tensor bias) {
        Tensor y = x.matmulTransposed(w);
        return bias == null ? y : y.add(bias);
    }

    /** {@code (B, T, E) -> (B, H, T, E/H)} */
    private Tensor heads(Tensor x) {
        int b = x.size(0);
        int t = x.size(1);
        return x.reshape(b, t, config.numHeads(), config.headDim()).permute(0, 2, 1, 3);
    }

    /** Joins the key padding {@code (B, S)} and attention {@code (L, S)} / {@code (B*H, L, S)} masks into one bias. */
    private static Mask combinedMask(AttentionConfig options, int b, int h, int l, int s) {
        Tensor bias = null;
        if (options.keyPadding() != null) {
            Mask m = options.keyPadding();
            if (!Arrays.equals(m.shape(), new int[] {b, s})) {
                throw new IllegalArgumentException("MultiHeadAttention: key padding " + m + " must be (B, S) = "
                        + Arrays.toString(new int[] {b, s}) + ", got " + Arrays.toString(m.shape()));
            }
            bias = m.bias().reshape(b, 1, 1, s);
        }
        if (options.attention() != null) {
            Mask m = options.attention();
            int[] ms = m.shape();
            Tensor am;
            if (Arrays.equals(ms, new int[] {l, s})) {
                am = m.bias().reshape(1, 1, l, s);
            } else if (Arrays.equals(ms, new int[] {b * h, l, s})) {
                am = m.bias().reshape(b, h, l, s);
            } else {
                throw new IllegalArgumentException("MultiHeadAttention: attention " + m + " must be (L, S) = "
                        + Arrays.toString(new int[] {l, s}) + " or (B*H, L, S) = " + Arrays.toString(new int[] {b * h, l, s})
                        + ", got " + Arrays.toString(ms));
            }
            bias = bias == null ? am : bias.add(am);
        }
        return bias == null ? null : Mask.additive(bias);
    }

    private static String shape(Tensor t) {
        return t == null ? "null" : Arrays.toString(t.shape());
    }
}
