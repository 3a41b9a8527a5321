package dev.sequor.decode;

import java.util.Arrays;

/**
 * One decoded sequence.
 *
 * @param tokens   the generated tokens, without the start token; ends with the end token when
 *                 {@code finished}
 * @param logProb  {@code log p(tokens) = sum_t log p(y_t | y_<t)}, natural log
 * @param score    the strategy's ranking score: {@code logProb} for greedy and sampling, the
 *                 length-penalised {@code logProb / lp(|y|)} for beam search
 * @param finished true when it ended with the end token, false when cut at the length limit
 */
public record Hypothesis(int[] tokens, double logProb, double score, boolean finished) {

    public Hypothesis {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** @return the tokens without a trailing end token */
    public int[] tokensWithoutEnd() {
        return finished ? Arrays.copyOf(tokens, tokens.length - 1) : tokens.clone();
    }

    /** @return the number of generated tokens, the end token included */
    public int length() {
        return tokens.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hypothesis h && Arrays.equals(tokens, h.tokens) && logProb == h.logProb
                && score == h.score && finished == h.finished;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens) * 31 + Double.hashCode(logProb);
    }

    @Override
    public String toString() {
        return "Hypothesis" + Arrays.toString(tokens) + String.format(" logProb=%.4f score=%.4f%s", logProb, score,
                finished ? "" : " (unfinished)");
    }
}
