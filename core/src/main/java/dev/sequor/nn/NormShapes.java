package dev.sequor.nn;

import dev.sequor.core.Tensor;

import java.util.Arrays;

/** Shape checks shared by the normalization layers. */
final class NormShapes {

    private NormShapes() {
    }

    /**
     * @return the product of {@code normalizedShape}, after checking that {@code x}'s shape ends in it
     * @throws IllegalArgumentException naming the op and both shapes otherwise
     */
    static int checkTrailing(String op, Tensor x, int[] normalizedShape) {
        int[] s = x.shape();
        int k = normalizedShape.length;
        boolean ok = s.length >= k;
        for (int i = 0; ok && i < k; i++) {
            ok = s[s.length - k + i] == normalizedShape[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(op + ": input shape " + Arrays.toString(s)
                    + " does not end in the normalized shape " + Arrays.toString(normalizedShape));
        }
        int cols = 1;
        for (int d : normalizedShape) {
            cols *= d;
        }
        return cols;
    }

    /** Checks a positive shape for a layer's constructor. @return a copy */
    static int[] positive(String op, int[] shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException(op + ": the normalized shape needs at least one dimension");
        }
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(op + ": sizes must be positive, got " + Arrays.toString(shape));
            }
        }
        return shape.clone();
    }

    /** Checks that an optional affine parameter has the normalized shape. */
    static void checkParam(String op, String name, Tensor p, int[] normalizedShape) {
        if (p != null && !Arrays.equals(p.shape(), normalizedShape)) {
            throw new IllegalArgumentException(op + ": " + name + " shape " + Arrays.toString(p.shape())
                    + " does not match the normalized shape " + Arrays.toString(normalizedShape));
        }
    }
}
