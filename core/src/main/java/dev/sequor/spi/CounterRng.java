package dev.sequor.spi;

/**
 * The counter-based random numbers every backend must draw, so that a seed means the same tensor
 * on every backend and random fills parallelise without shared state.
 *
 * <p>Bits: {@code bits(seed, c) = splitmix64(seed + (c + 1) * 0x9E3779B97F4A7C15)} where
 * splitmix64 is {@code z ^= z >>> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >>> 27;
 * z *= 0x94D049BB133111EB; z ^= z >>> 31} on unsigned 64-bit integers.
 *
 * <p>{@code uniform(seed, i) = (bits(seed, i) >>> 40) * 2^-24}, exactly representable, in [0, 1).
 *
 * <p>{@code normal(seed, i)} is Box-Muller on the pair {@code u1 = 1 - uniform(seed, 2i)} (in (0, 1])
 * and {@code u2 = uniform(seed, 2i + 1)}: {@code sqrt(-2 ln u1) * cos(2 pi u2)}, evaluated in double
 * and rounded to float; backends computing it in float32 agree to about 1e-6 relative.
 */
public final class CounterRng {

    private CounterRng() {
    }

    /** @return the 64 random bits for counter {@code c} under {@code seed} */
    public static long bits(long seed, long c) {
        long z = seed + (c + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return a float uniform on [0, 1) with 24 random bits */
    public static float uniform(long seed, long i) {
        return (bits(seed, i) >>> 40) * 0x1.0p-24f;
    }

    /** @return a standard normal draw for element {@code i} */
    public static float normal(long seed, long i) {
        double u1 = 1.0 - uniform(seed, 2 * i);
        double u2 = uniform(seed, 2 * i + 1);
        return (float) (Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2));
    }
}
