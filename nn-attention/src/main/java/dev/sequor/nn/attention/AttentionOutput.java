package dev.sequor.nn.attention;

import dev.sequor.core.Tensor;

/**
 * What an attention layer returns: the context (or output) vectors and, when asked for, the attention
 * weights.
 *
 * @param output  the attended values, e.g. {@code (B, L, E)}
 * @param weights the attention weights (rows sum to 1, or 0 for a fully masked query), or null
 */
public record AttentionOutput(Tensor output, Tensor weights) {
}
