package dev.sequor.nn;

/** How a loss combines its per-element values, as PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** the mean (for losses with an ignore index: over the elements not ignored) */
    MEAN,
    /** the sum */
    SUM,
    /** no reduction: one value per element, shaped like the targets */
    NONE
}
