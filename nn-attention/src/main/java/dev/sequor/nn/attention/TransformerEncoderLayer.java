package dev.sequor.nn.attention;

import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Dropout;
import dev.sequor.nn.LayerNorm;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;

/**
 * One encoder layer of the Transformer (Vaswani et al. 2017, section 3.1): self-attention then a
 * position-wise feed-forward network, each in a residual block with layer normalization,
 * <pre>
 *   post-norm:  x = norm1(x + SA(x));         x = norm2(x + FF(x))
 *   pre-norm:   x = x + SA(norm1(x));         x = x + FF(norm2(x))
 * </pre>
 * as PyTorch's {@code nn.TransformerEncoderLayer(batch_first=True)}, with its parameter names
 * ({@code self_attn.*}, {@code linear1.*}, {@code linear2.*}, {@code norm1.*}, {@code norm2.*}).
 * Input and output are {@code (B, T, dModel)}.
 */
public class TransformerEncoderLayer extends Module {

    private final TransformerConfig config;
    private final MultiHeadAttention selfAttn;
    private final FeedForward ff;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Dropout dropout1;
    private final Dropout dropout2;

    /** A layer with PyTorch's defaults for {@code dModel} and {@code nHead} on the session backend. */
    public TransformerEncoderLayer(int dModel, int nHead) {
        this(Backends.get(), TransformerConfig.of(dModel, nHead));
    }

    /** A layer configured by {@code config} on {@code backend}. */
    public TransformerEncoderLayer(Backend backend, TransformerConfig config) {
        super(backend);
        this.config = config;
        selfAttn = registerModule("self_attn", new MultiHeadAttention(backend, config.selfAttention(1)));
        ff = new FeedForward(backend, config, this::registerModule);
        norm1 = registerModule("norm1", FeedForward.norm(backend, config));
        norm2 = registerModule("norm2", FeedForward.norm(backend, config));
        dropout1 = registerModule("dropout1", FeedForward.dropout(config, 21));
        dropout2 = registerModule("dropout2", FeedForward.dropout(config, 22));
    }

    /** @return the configuration */
    public TransformerConfig config() {
        return config;
    }

    /** @param src {@code (B, T, dModel)} @return {@code (B, T, dModel)} */
    public Tensor forward(Tensor src) {
        return forward(src, AttentionConfig.NONE);
    }

    /**
     * @param src  {@code (B, T, dModel)}
     * @param mask the self-attention masks: {@code keyPadding} is PyTorch's {@code src_key_padding_mask},
     *             {@code attention} its {@code src_mask}; {@code causal} for a causal encoder
     * @return {@code (B, T, dModel)}
     */
    public Tensor forward(Tensor src, AttentionConfig mask) {
        AttentionConfig opts = mask.withWeights(AttentionConfig.Weights.NONE);
        Tensor x = src;
        if (config.normFirst()) {
            x = x.add(selfAttention(norm1.forward(x), opts));
            return x.add(dropout2.forward(ff.forward(norm2.forward(x))));
        }
        x = norm1.forward(x.add(selfAttention(x, opts)));
        return norm2.forward(x.add(dropout2.forward(ff.forward(x))));
    }

    private Tensor selfAttention(Tensor x, AttentionConfig opts) {
        return dropout1.forward(selfAttn.forward(x, x, x, opts).output());
    }
}
