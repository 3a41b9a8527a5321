package dev.sequor.spi;

/**
 * Elementwise binary functions {@code out = a op b} for {@link Primitives#binary} and
 * {@link Primitives#scalar}. Comparisons give 1.0 for true and 0.0 for false (NaN compares false,
 * except {@link #NE}). {@link #MAX} and {@link #MIN} propagate NaN, as PyTorch's maximum/minimum.
 */
public enum BinaryOp {
    /** {@code a + b} */
    ADD,
    /** {@code a - b} */
    SUB,
    /** {@code a * b} */
    MUL,
    /** {@code a / b} */
    DIV,
    /** {@code a ^ b} (Math.pow semantics) */
    POW,
    /** {@code max(a, b)}, NaN if either is NaN */
    MAX,
    /** {@code min(a, b)}, NaN if either is NaN */
    MIN,
    /** {@code a == b ? 1 : 0} */
    EQ,
    /** {@code a != b ? 1 : 0} */
    NE,
    /** {@code a < b ? 1 : 0} */
    LT,
    /** {@code a <= b ? 1 : 0} */
    LE,
    /** {@code a > b ? 1 : 0} */
    GT,
    /** {@code a >= b ? 1 : 0} */
    GE
}
