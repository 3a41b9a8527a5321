/**
 * Attention mechanisms and the Transformer, on the backend's fused scaled-dot-product kernel.
 *
 * <h2>Layers</h2>
 * <ul>
 *   <li>{@link dev.sequor.nn.attention.AdditiveAttention} (Bahdanau et al. 2015),
 *       {@link dev.sequor.nn.attention.DotAttention} and {@link dev.sequor.nn.attention.GeneralAttention}
 *       (Luong et al. 2015): context vectors and weights, soft or hard
 *       ({@link dev.sequor.nn.attention.ScoredAttention#forwardHard}).</li>
 *   <li>{@link dev.sequor.nn.attention.ScaledDotProductAttention}, {@link dev.sequor.nn.attention.LocalAttention}
 *       and {@link dev.sequor.nn.attention.MultiHeadAttention} (Vaswani et al. 2017), PyTorch-compatible
 *       parameters.</li>
 *   <li>{@link dev.sequor.nn.attention.TransformerEncoderLayer}, {@link dev.sequor.nn.attention.TransformerDecoderLayer},
 *       the stacks {@link dev.sequor.nn.attention.TransformerEncoder} / {@link dev.sequor.nn.attention.TransformerDecoder},
 *       {@link dev.sequor.nn.attention.Transformer}, positional encodings, and incremental decoding with a
 *       {@link dev.sequor.nn.attention.KvCache}.</li>
 * </ul>
 *
 * <h2>Masks</h2>
 * A {@link dev.sequor.nn.attention.Mask} says its polarity in its factory name:
 * <pre>{@code
 * Mask.ignoreWhere(pad)       // 1 = must not attend: PyTorch's boolean key_padding_mask / attn_mask
 * Mask.keepWhere(allowed)     // 1 = may attend: F.scaled_dot_product_attention's boolean attn_mask
 * Mask.additive(bias)         // added to the scores; -Infinity excludes
 * Mask.keepLengths(be, lengths, S)
 * }</pre>
 * A query that can see no key gets zero weights and a zero context, never NaN.
 *
 * <pre>{@code
 * var mha = new MultiHeadAttention(backend, MultiHeadAttentionConfig.of(512, 8));
 * AttentionOutput out = mha.forward(x, x, x, AttentionConfig.NONE
 *         .withKeyPadding(Mask.keepLengths(backend, lengths, x.size(1)))
 *         .withCausal(true));
 * }</pre>
 */
package dev.sequor.nn.attention;
