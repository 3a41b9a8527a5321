package dev.sequor.decode;

import dev.sequor.core.Seed;

import java.util.function.Consumer;

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
public record SamplingConfig(double temperature, int topK, double topP, Seed seed) {

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
    public static SamplingConfig of(double t, Seed seed) {
        return new SamplingConfig(t, 0, 1.0, seed);
    }

    public SamplingConfig withTopK(int k) {
        return edit(f -> f.topK = k);
    }

    public SamplingConfig withTopP(double p) {
        return edit(f -> f.topP = p);
    }

    /** @return a copy of this config with {@code change} applied to its components (every wither is one change) */
    private SamplingConfig edit(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.build();
    }

    /**
     * The components as variables, so that a wither names only what it changes; a new component is added
     * here (declaration, copy, build) and in the record header, not in every wither.
     */
    private static final class Fields {
        double temperature;
        int topK;
        double topP;
        Seed seed;

        Fields(SamplingConfig c) {
            temperature = c.temperature;
            topK = c.topK;
            topP = c.topP;
            seed = c.seed;
        }

        SamplingConfig build() {
            return new SamplingConfig(temperature, topK, topP, seed);
        }
    }
}
