package dev.sequor.nn.attention;

import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import java.util.Arrays;

/**
 * Which keys a query may attend to, with its polarity in its name so it cannot be misread. Frameworks
 * disagree (PyTorch's boolean {@code True} means "ignore", Keras' means "keep"); Sequor has no raw
 * boolean mask, only:
 * <ul>
 *   <li>{@link #keepWhere(Tensor)}: nonzero marks keys that <em>may</em> be attended to;</li>
 *   <li>{@link #ignoreWhere(Tensor)}: nonzero marks keys that must <em>not</em> be attended to
 *       (PyTorch's boolean {@code key_padding_mask} and {@code attn_mask});</li>
 *   <li>{@link #additive(Tensor)}: a float added to the scores, {@code -Infinity} to exclude
 *       (PyTorch's float masks);</li>
 *   <li>{@link #keepLengths(Backend, int[], int)}: key padding from sequence lengths.</li>
 * </ul>
 * Every mask becomes one additive bias {@code 0 / -Inf}. A query whose keys are all excluded gets
 * zero attention weights and a zero context vector, never NaN. Boolean and length masks carry no
 * gradient; an additive mask built from a tensor that requires one passes the gradient of the scores
 * back to it, as PyTorch does for a float {@code attn_mask}.
 */
public final class Mask {

    private final Tensor bias;
    private final String origin;

    private Mask(Tensor bias, String origin) {
        this.bias = bias;
        this.origin = origin;
    }

    /**
     * @param keep 0/1 tensor; 1 (true) marks the positions that may be attended to
     * @throws IllegalArgumentException if {@code keep} holds a value other than 0 or 1 (a float mask
     *         belongs in {@link #additive(Tensor)})
     */
    public static Mask keepWhere(Tensor keep) {
        requireBoolean(keep, "Mask.keepWhere");
        try (Grad g = Grad.disabled()) {
            Tensor bias = keep.zerosLike().maskedFill(keep.eq(Tensor.scalar(keep.backend(), 0f)), Float.NEGATIVE_INFINITY);
            return new Mask(bias, "keepWhere" + Arrays.toString(keep.shape()));
        }
    }

    /**
     * @param ignore 0/1 tensor; 1 (true) marks the positions that must not be attended to, as a PyTorch
     *               boolean mask
     * @throws IllegalArgumentException if {@code ignore} holds a value other than 0 or 1
     */
    public static Mask ignoreWhere(Tensor ignore) {
        requireBoolean(ignore, "Mask.ignoreWhere");
        try (Grad g = Grad.disabled()) {
            Tensor bias = ignore.zerosLike().maskedFill(ignore, Float.NEGATIVE_INFINITY);
            return new Mask(bias, "ignoreWhere" + Arrays.toString(ignore.shape()));
        }
    }

    /**
     * A float mask {@code M} added to the scores, {@code softmax(scale Q K^T + M)}. The tensor is kept,
     * not copied: if it requires a gradient (a learned mask, a relative-position bias) it receives
     * {@code dL/dM}, the gradient of the pre-softmax scores summed over the axes along which it
     * broadcasts, and {@code 0} where it is {@code -Infinity}.
     *
     * @param bias added to the attention scores before the softmax; {@code -Infinity} excludes a key
     */
    public static Mask additive(Tensor bias) {
        return new Mask(bias, "additive" + Arrays.toString(bias.shape()));
    }

    /**
     * Key padding from lengths: sequence {@code b} keeps keys {@code j < lengths[b]}.
     *
     * @return a {@code (B, maxLength)} mask
     */
    public static Mask keepLengths(Backend backend, int[] lengths, int maxLength) {
        float[] keep = new float[lengths.length * maxLength];
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 0 || lengths[b] > maxLength) {
                throw new IllegalArgumentException("Mask.keepLengths: length " + lengths[b] + " of sequence " + b
                        + " is outside [0, " + maxLength + "]");
            }
            Arrays.fill(keep, b * maxLength, b * maxLength + lengths[b], 1f);
        }
        return keepWhere(Tensor.of(backend, keep, lengths.length, maxLength));
    }

    /**
     * The causal mask as a tensor: query {@code i} may attend to key {@code j} iff {@code j <= i + (S - L)}.
     * Layers take a {@code causal} flag instead, which needs no mask memory; this is for inspection and
     * for combining with other masks.
     *
     * @return a {@code (L, S)} mask
     */
    public static Mask causal(Backend backend, int queries, int keys) {
        float[] keep = new float[queries * keys];
        for (int i = 0; i < queries; i++) {
            for (int j = 0; j < keys && j <= i + keys - queries; j++) {
                keep[i * keys + j] = 1f;
            }
        }
        return keepWhere(Tensor.of(backend, keep, queries, keys));
    }

    /** @return the additive bias: 0 where attending is allowed, {@code -Infinity} where not (or the given floats) */
    public Tensor bias() {
        return bias;
    }

    /** @return the mask's shape */
    public int[] shape() {
        return bias.shape();
    }

    @Override
    public String toString() {
        return "Mask." + origin;
    }

    private static void requireBoolean(Tensor t, String op) {
        float[] v = t.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0f && v[i] != 1f) {
                throw new IllegalArgumentException(op + ": expected a boolean tensor of 0 and 1 (shape "
                        + Arrays.toString(t.shape()) + ") but element " + i + " is " + v[i]
                        + "; use Mask.additive for a float mask");
            }
        }
    }
}
