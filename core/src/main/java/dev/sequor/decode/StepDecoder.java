package dev.sequor.decode;

import dev.sequor.core.Tensor;

/**
 * A model that extends N partial sequences by one token at a time: an RNN decoder carrying its
 * hidden state, or a Transformer decoder carrying its KV cache. The decoding strategies
 * ({@link GreedyDecoder}, {@link Sampler}, {@link BeamSearch}) are written once against this.
 *
 * <p>The state {@code S} is whatever the model carries between steps (tensors, caches, attention
 * history); the strategies never look inside it, they only pass it back to {@link #step} and
 * reorder its rows with {@link #select}. A strategy uses each state once: after passing a state
 * to {@code step} or {@code select} it only uses the state returned, so a decoder may update a
 * state in place (a Transformer's KV cache grows by a step, or is reordered for a beam). Strategies
 * open no {@code Tensor.scope()} of their own: wrap a decoding call in one to free every tensor it
 * created.
 *
 * @param <S> the per-step state, holding one row per partial sequence
 */
public interface StepDecoder<S> {

    /**
     * Advances every row by one token.
     *
     * @param state  the state after the tokens so far, N rows
     * @param tokens the last token of each row, length N (the start token on the first step)
     * @return the next-token logits {@code (N, V)} (the strategy reads and closes them) and the new state
     */
    Step<S> step(S state, int[] tokens);

    /**
     * Builds the state whose row {@code i} is row {@code rows[i]} of {@code state}; rows may repeat
     * (a beam of W from one source row) or be dropped (pruned hypotheses).
     *
     * @param state the state, N rows
     * @param rows  indices in {@code [0, N)}
     * @return a state with {@code rows.length} rows
     */
    S select(S state, int[] rows);

    /**
     * One step's result.
     *
     * @param logits unnormalised scores {@code (N, V)} of the next token of each row
     * @param state  the state after feeding the given tokens
     * @param <S>    the state type
     */
    record Step<S>(Tensor logits, S state) {
    }
}
