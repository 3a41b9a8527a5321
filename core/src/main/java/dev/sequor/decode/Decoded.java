package dev.sequor.decode;

import java.util.List;

/**
 * The result of decoding N rows at once ({@link GreedyDecoder}, {@link Sampler}).
 *
 * @param hypotheses one per input row, in row order
 * @param state      the decoder state after the last step (rows that had finished were fed the end
 *                   token meanwhile); a model that records, say, attention weights in its state
 *                   reads them here
 * @param <S>        the state type
 */
public record Decoded<S>(List<Hypothesis> hypotheses, S state) {

    public Decoded {
        hypotheses = List.copyOf(hypotheses);
    }
}
