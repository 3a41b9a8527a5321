package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import java.util.Arrays;

/** Variable sequence lengths for the layers written step by step in Tensor ops: checks and 0/1 masks. */
final class Lengths {

    private Lengths() {
    }

    /** @return {@code lengths}, or all {@code t} when null, after checking each lies in {@code [1, t]} */
    static int[] orFull(String op, int[] lengths, int b, int t) {
        if (lengths == null) {
            int[] full = new int[b];
            Arrays.fill(full, t);
            return full;
        }
        if (lengths.length != b) {
            throw new IllegalArgumentException(op + ": " + lengths.length + " lengths for a batch of " + b);
        }
        for (int i = 0; i < b; i++) {
            if (lengths[i] < 1 || lengths[i] > t) {
                throw new IllegalArgumentException(op + ": lengths[" + i + "] = " + lengths[i] + " is outside [1, " + t
                        + "]");
            }
        }
        return lengths;
    }

    /** @return the {@code (B, T, 1)} mask, 1 where {@code t < lengths[b]} */
    static Tensor mask(Backend be, int[] lengths, int t) {
        float[] m = new float[lengths.length * t];
        for (int b = 0; b < lengths.length; b++) {
            Arrays.fill(m, b * t, b * t + lengths[b], 1f);
        }
        return Tensor.of(be, m, lengths.length, t, 1);
    }
}
