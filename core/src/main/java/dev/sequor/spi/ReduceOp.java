package dev.sequor.spi;

/**
 * Reductions along one axis for {@link Backend#reduce}: for a contiguous input viewed as
 * {@code (outer, n, inner)}, {@code out[o, i] = R_{j < n} x[o, j, i]}.
 * Accumulation must be at least as accurate as pairwise or double summation
 * (the reference backend accumulates in double).
 */
public enum ReduceOp {
    /** {@code sum_j x_j}; 0 for n = 0 */
    SUM,
    /** {@code sum_j x_j / n}; NaN for n = 0 */
    MEAN,
    /** {@code max_j x_j}; NaN if any is NaN; -Inf for n = 0 */
    MAX,
    /** {@code min_j x_j}; NaN if any is NaN; +Inf for n = 0 */
    MIN,
    /** the first j with the maximum value, as a float (a NaN counts as the maximum); n = 0 is an error */
    ARGMAX,
    /** the first j with the minimum value, as a float (a NaN counts as the minimum); n = 0 is an error */
    ARGMIN,
    /** {@code m + ln sum_j e^(x_j - m)} with {@code m = max_j x_j}; -Inf for n = 0 or all -Inf */
    LOGSUMEXP
}
