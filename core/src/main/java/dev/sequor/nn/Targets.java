package dev.sequor.nn;

import dev.sequor.core.Tensor;

import java.util.Arrays;

/** Checks class-id targets on the host: shape against the logits, integrality and range. */
final class Targets {

    private Targets() {
    }

    /**
     * Checks that {@code targets} has the shape of {@code scores} without its last (class) axis.
     *
     * @return the number of classes, {@code scores.size(-1)}
     */
    static int checkShape(String op, Tensor scores, Tensor targets) {
        int[] s = scores.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(s)
                    + " needs a batch axis and a class axis, e.g. (N, C) or (B, T, C)");
        }
        int[] expected = Arrays.copyOf(s, s.length - 1);
        if (!Arrays.equals(targets.shape(), expected)) {
            throw new IllegalArgumentException(op + ": targets shape " + Arrays.toString(targets.shape())
                    + " does not match input " + Arrays.toString(s) + " without its class axis: expected "
                    + Arrays.toString(expected));
        }
        return s[s.length - 1];
    }

    /**
     * Checks every target is {@code ignoreIndex} or an exact integer in {@code [0, classes)}.
     *
     * @return how many targets are not ignored
     * @throws IndexOutOfBoundsException naming the first bad target, its position and the bound
     */
    static int countValid(String op, Tensor targets, int classes, int ignoreIndex) {
        float[] t = targets.toFloatArray();
        int valid = 0;
        for (int i = 0; i < t.length; i++) {
            float v = t[i];
            if (v == ignoreIndex) {
                continue;
            }
            if (!(v >= 0 && v < classes) || v != Math.rint(v)) {
                throw new IndexOutOfBoundsException(op + ": target " + v + " at position " + i
                        + " is not a class id in [0, " + classes + ") nor the ignore index " + ignoreIndex);
            }
            valid++;
        }
        return valid;
    }
}
