package dev.sequor.core;

/**
 * The seed of a random stream: what a layer's initialisation, a dropout mask or {@link Tensor#normal} draws
 * from. It plays the part of PyTorch's {@code torch.manual_seed(s)} / {@code generator=} argument, but is
 * passed explicitly, so the same seed gives the same numbers on every backend (the streams are
 * counter-based: element {@code i} of a draw is a pure function of {@code (value, i)}).
 *
 * <p>A seed is its own type so that a call says which argument is the seed:
 * {@code new Linear(32, 2, Seed.of(7))} and {@code Tensor.normal(0f, 1f, Seed.of(step), 64, 20, 1)} rather
 * than a bare trailing {@code long}.
 *
 * @param value the 64-bit seed; every value is valid
 */
public record Seed(long value) {

    /**
     * @param value the 64-bit seed
     * @return the seed {@code value}
     */
    public static Seed of(long value) {
        return new Seed(value);
    }

    /**
     * A seed for the {@code k}-th sub-stream of this one (for example one per layer and direction), so
     * that sub-streams do not overlap: {@code value * 7919 + 101 * k}, the mixing the recurrent layers use.
     *
     * @param k the sub-stream index
     * @return the derived seed
     */
    public Seed derive(long k) {
        return new Seed(value * 7919L + 101L * k);
    }
}
