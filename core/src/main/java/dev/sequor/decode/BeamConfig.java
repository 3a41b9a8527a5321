package dev.sequor.decode;

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
        return new BeamConfig(width, alpha, nBest, maxLength, endToken);
    }

    public BeamConfig withNBest(int n) {
        return new BeamConfig(width, lengthPenalty, n, maxLength, endToken);
    }

    /** @return {@code lp(Y) = ((5 + length) / 6)^alpha} */
    public double penalty(int length) {
        return lengthPenalty == 0 ? 1.0 : Math.pow((5.0 + length) / 6.0, lengthPenalty);
    }
}
