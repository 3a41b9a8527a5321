package dev.sequor.train;

import dev.sequor.core.Tensor;

import java.util.List;

/**
 * One chunk of a truncated-BPTT forward pass ({@link Trainer#tbptt}): time steps
 * {@code [start, start + length)} of a batch, run from the previous chunk's final state.
 *
 * @param <B> the batch type
 */
@FunctionalInterface
public interface ChunkForward<B> {

    /**
     * A chunk's result.
     *
     * @param prediction the chunk's output and targets
     * @param state      the recurrent state after its last step (any tensors, such as {@code h, c})
     */
    record Chunk(Prediction prediction, List<Tensor> state) {
    }

    /**
     * @param start   the chunk's first time step in the batch
     * @param length  its number of time steps, at most {@code k}
     * @param carried the previous chunk's final state, detached; null for zeros
     * @return the chunk's prediction and final state
     */
    Chunk apply(B batch, int start, int length, List<Tensor> carried, StepInfo info);
}
