package dev.sequor.spi;

import java.util.Arrays;

/**
 * The extent of one direction of one recurrent layer run over a batch of sequences, for the fused
 * sequence kernels ({@link Backend#lstmSequenceForward} and friends).
 *
 * <p>Sequences are batch-first: a per-step tensor {@code (B, T, W)} holds step {@code t} of
 * sequence {@code b} at {@code (b * T + t) * W}. Sequence {@code b} has {@code lengths[b]} valid
 * steps {@code t < lengths[b]} (all {@code T} when {@code lengths} is null). The forward direction
 * visits {@code t = 0 .. T-1}; the reverse direction visits {@code t = T-1 .. 0}. A sequence is
 * <em>active</em> at step {@code t} iff {@code t < lengths[b]}; an inactive sequence keeps its state
 * unchanged and produces zeros, so the forward direction ends at each sequence's own last step and
 * the reverse direction starts at each sequence's own end: exactly PyTorch's packed-sequence
 * semantics without packing.
 *
 * @param batch   B, at least 1
 * @param steps   T, at least 1
 * @param hidden  H, the state width, at least 1
 * @param lengths null (every sequence has T steps) or B values in {@code [1, T]}; not copied
 * @param reverse whether time runs from the end to the start
 */
public record RecurrentDims(int batch, int steps, int hidden, int[] lengths, boolean reverse) {

    public RecurrentDims {
        if (batch < 1 || steps < 1 || hidden < 1) {
            throw new IllegalArgumentException("RecurrentDims: batch, steps and hidden must be positive, got B="
                    + batch + " T=" + steps + " H=" + hidden);
        }
        if (lengths != null) {
            if (lengths.length != batch) {
                throw new IllegalArgumentException("RecurrentDims: lengths has " + lengths.length
                        + " entries, expected one per batch row (" + batch + ")");
            }
            for (int b = 0; b < batch; b++) {
                if (lengths[b] < 1 || lengths[b] > steps) {
                    throw new IllegalArgumentException("RecurrentDims: lengths[" + b + "] = " + lengths[b]
                            + " is outside [1, " + steps + "]");
                }
            }
        }
    }

    /** @return the time index visited at processing step {@code s} (s counts 0 .. T-1 in visiting order) */
    public int time(int s) {
        return reverse ? steps - 1 - s : s;
    }

    /** @return whether sequence {@code b} is active at time {@code t} */
    public boolean active(int b, int t) {
        return lengths == null || t < lengths[b];
    }

    /** @return whether every sequence is active at time {@code t} */
    public boolean allActive(int t) {
        if (lengths == null) {
            return true;
        }
        for (int len : lengths) {
            if (t >= len) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "RecurrentDims[B=" + batch + ", T=" + steps + ", H=" + hidden + ", lengths="
                + Arrays.toString(lengths) + ", reverse=" + reverse + "]";
    }
}
