package dev.sequor.decode;

import java.util.function.Consumer;

/**
 * Options of {@link BeamSearch}.
 *
 * @param width         beam width W: live hypotheses kept per step
 * @param lengthPenalty alpha of Wu et al. 2016 (GNMT), eq. 14: hypotheses are ranked by
 *                      {@code log p(Y) / lp(Y)} with {@code lp(Y) = ((5 + |Y|) / 6)^alpha}; 0 ranks by
 *                      {@code log p(Y)}, larger values favour longer outputs
 * @param nBest         how many hypotheses to return, 1 &lt;= nBest &lt;= width
 * @param maxLength     the most tokens per hypothesis, the end token included
 * @param endToken      the token that finishes a hypothesis, or -1 for none (then all run to
 *                      {@code maxLength})
 */
public record BeamConfig(int width, double lengthPenalty, int nBest, int maxLength, int endToken) {

    public BeamConfig {
        if (width < 1) {
            throw new IllegalArgumentException("BeamConfig: width must be at least 1, got " + width);
        }
        if (nBest < 1 || nBest > width) {
            throw new IllegalArgumentException("BeamConfig: nBest must be in [1, width=" + width + "], got " + nBest);
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("BeamConfig: maxLength must be positive, got " + maxLength);
        }
        if (!(lengthPenalty >= 0) || Double.isInfinite(lengthPenalty)) {
            throw new IllegalArgumentException("BeamConfig: lengthPenalty must be finite and >= 0, got "
                    + lengthPenalty);
        }
    }

    /** @return width {@code w}, no length penalty, the single best hypothesis */
    public static BeamConfig of(int w, int maxLength, int endToken) {
        return new BeamConfig(w, 0.0, 1, maxLength, endToken);
    }

    public BeamConfig withLengthPenalty(double alpha) {
        return edit(f -> f.lengthPenalty = alpha);
    }

    public BeamConfig withNBest(int n) {
        return edit(f -> f.nBest = n);
    }

    /** @return {@code lp(Y) = ((5 + length) / 6)^alpha} */
    public double penalty(int length) {
        return lengthPenalty == 0 ? 1.0 : Math.pow((5.0 + length) / 6.0, lengthPenalty);
    }

    /** @return a copy of this config with {@code change} applied to its components (every wither is one change) */
    private BeamConfig edit(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.build();
    }

    /**
     * The components as variables, so that a wither names only what it changes; a new component is added
     * here (declaration, copy, build) and in the record header, not in every wither.
     */
    private static final class Fields {
        int width;
        double lengthPenalty;
        int nBest;
        int maxLength;
        int endToken;

        Fields(BeamConfig c) {
            width = c.width;
            lengthPenalty = c.lengthPenalty;
            nBest = c.nBest;
            maxLength = c.maxLength;
            endToken = c.endToken;
        }

        BeamConfig build() {
            return new BeamConfig(width, lengthPenalty, nBest, maxLength, endToken);
        }
    }
}
