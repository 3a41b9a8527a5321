package dev.sequor.nn.attention;

import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;

import java.util.Arrays;

/**
 * {@code softmax(scores + bias)} over the last axis where a row whose keys are all masked gives zeros,
 * in value and in gradient, instead of NaN: such rows get finite scores (0) before the softmax and are
 * multiplied by 0 after it, so neither pass sees {@code 0/0}.
 */
final class MaskedSoftmax {

    private MaskedSoftmax() {
    }

    /**
     * @param scores {@code (..., L, S)}
     * @param mask   broadcastable to {@code scores}, or null
     * @param op     the caller's name for errors
     * @return attention weights shaped like {@code scores}
     */
    static Tensor apply(Tensor scores, Mask mask, String op) {
        Tensor s = scores;
        if (mask != null) {
            checkBroadcast(mask, scores.shape(), op);
            s = s.add(mask.bias());
        }
        Tensor visible;
        try (Grad g = Grad.disabled()) {
            visible = s.max(-1, true).gt(Tensor.scalar(s.backend(), Float.NEGATIVE_INFINITY));
        }
        Tensor safe = Tensor.where(visible, s, Tensor.scalar(s.backend(), 0f));
        return safe.softmax(-1).mul(visible);
    }

    /** @throws IllegalArgumentException naming both shapes when {@code mask} does not broadcast to {@code target} */
    static void checkBroadcast(Mask mask, int[] target, String op) {
        int[] ms = mask.shape();
        boolean ok = ms.length <= target.length;
        for (int a = 1; ok && a <= ms.length; a++) {
            int size = ms[ms.length - a];
            ok = size == 1 || size == target[target.length - a];
        }
        if (!ok) {
            throw new IllegalArgumentException(op + ": " + mask + " of shape " + Arrays.toString(ms)
                    + " does not broadcast to the scores " + Arrays.toString(target));
        }
    }
}
