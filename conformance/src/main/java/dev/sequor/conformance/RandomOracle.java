package dev.sequor.conformance;

/**
 * The counter-based random numbers of {@code dev.sequor.spi.CounterRng}, re-derived here from its
 * Javadoc (not calling it), so the kit also catches a drift of the shared helper from its spec.
 */
public final class RandomOracle {

    private RandomOracle() {
    }

    /** {@code splitmix64(seed + (c + 1) * 0x9E3779B97F4A7C15)}. */
    public static long bits(long seed, long c) {
        long z = seed + (c + 1) * 0x9E3779B97F4A7C15L;
        z ^= z >>> 30;
        z *= 0xBF58476D1CE4E5B9L;
        z ^= z >>> 27;
        z *= 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return z;
    }

    /** The top 24 bits as a float in [0, 1). */
    public static float uniform(long seed, long i) {
        return (float) ((bits(seed, i) >>> 40) / 16777216.0);
    }

    /** Box-Muller in double: {@code sqrt(-2 ln(1 - u(2i))) cos(2 pi u(2i+1))}. */
    public static double normal(long seed, long i) {
        double u1 = 1.0 - uniform(seed, 2 * i);
        double u2 = uniform(seed, 2 * i + 1);
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** {@code a + (b - a) * u}, in float arithmetic as {@code RandomKind.UNIFORM} writes it. */
    public static float uniform(long seed, long i, float a, float b) {
        return a + (b - a) * uniform(seed, i);
    }

    /** {@code u < p ? 1 : 0}. */
    public static float bernoulli(long seed, long i, float p) {
        return uniform(seed, i) < p ? 1f : 0f;
    }
}
