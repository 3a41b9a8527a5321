package dev.sequor.decode;

/**
 * Greedy decoding: {@code y_t = argmax_v p(v | y_<t, x)} for every row independently, until the end
 * token or {@code maxLength} tokens. Ties go to the lowest token id.
 */
public final class GreedyDecoder {

    private GreedyDecoder() {
    }

    /**
     * Decodes every row of {@code state}.
     *
     * @param decoder     the model
     * @param state       the initial state, one row per sequence
     * @param startTokens the first input token of each row (the start-of-sequence token, or the last
     *                    prompt token of a primed language model)
     * @param endToken    the end token, or -1 for none (then every row runs {@code maxLength} steps)
     * @param maxLength   the most tokens generated per row, the end token included
     * @return one hypothesis per row, and the final state
     * @throws IllegalArgumentException for no rows, a non-positive {@code maxLength}, or logits that
     *                                  are not {@code (rows, V)}
     */
    public static <S> Decoded<S> decode(StepDecoder<S> decoder, S state, int[] startTokens, int endToken,
                                        int maxLength) {
        return Ancestral.run(decoder, state, startTokens, endToken, maxLength, 1.0, LogProbs::argmax);
    }
}
