package dev.sequor.decode;

/**
 * Options of {@link Sampler}. Applied in this order to each row's logits z: temperature
 * ({@code p = softmax(z / T)}), then top-k (keep the k most probable tokens), then top-p (nucleus,
 * Holtzman et al. 2020: keep the smallest most-probable set whose mass reaches p), then renormalise
 * and draw.
 *
 * @param temperature T &gt; 0; below 1 sharpens, above 1 flattens
 * @param topK        k &gt;= 1 tokens kept, or 0 for no limit
 * @param topP        p in (0, 1]; 1 keeps everything
 * @param seed        seed of the draws: the same seed, model and inputs give the same samples
 */
public record SamplingConfig(double temperature, int topK, double topP, long seed) {

    public SamplingConfig {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("SamplingConfig: temperature must be positive and finite, got "
                    + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("SamplingConfig: topK must be 0 (off) or positive, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("SamplingConfig: topP must be in (0, 1], got " + topP);
        }
    }

    /** @return plain sampling at temperature {@code t} with {@code seed}: no top-k, no top-p */
    public static SamplingConfig of(double t, long seed) {
        return new SamplingConfig(t, 0, 1.0, seed);
    }

    public SamplingConfig withTopK(int k) {
        return new SamplingConfig(temperature, k, topP, seed);
    }

    public SamplingConfig withTopP(double p) {
        return new SamplingConfig(temperature, topK, p, seed);
    }
}
