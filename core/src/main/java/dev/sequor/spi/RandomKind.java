package dev.sequor.spi;

/**
 * Distributions for {@link Backend#randomFill}. Every backend draws the same numbers for the same
 * seed, because element {@code i} is a pure function of {@code (seed, i)}: see {@link CounterRng}.
 */
public enum RandomKind {
    /** uniform on {@code [a, b)}: {@code a + (b - a) * CounterRng.uniform(seed, i)} */
    UNIFORM,
    /** normal with mean {@code a}, standard deviation {@code b}: {@code a + b * CounterRng.normal(seed, i)} */
    NORMAL,
    /** {@code CounterRng.uniform(seed, i) < a ? 1 : 0} (b is ignored); used by dropout masks */
    BERNOULLI
}
