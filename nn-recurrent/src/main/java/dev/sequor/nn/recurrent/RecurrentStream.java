package dev.sequor.nn.recurrent;

import dev.sequor.core.Grad;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;

/**
 * Stateful streaming inference: feed a long sequence in chunks of any length and get the same
 * outputs as one call over the whole sequence, because the state carries from chunk to chunk.
 * Runs without recording gradients. Not thread-safe.
 *
 * <pre>{@code
 * RecurrentStream s = new TruncatedBptt(lstm, 1).stream();
 * Tensor y1 = s.feed(audioChunk1);   // (B, T1, F) -> (B, T1, D*hOut)
 * Tensor y2 = s.feed(audioChunk2);   // continues where chunk 1 ended
 * }</pre>
 *
 * A bidirectional layer's reverse direction only sees each chunk, so streaming is exact for
 * unidirectional layers only.
 */
public final class RecurrentStream {

    private final RecurrentLayer layer;
    private RecurrentState state;

    RecurrentStream(RecurrentLayer layer) {
        this.layer = layer;
    }

    /**
     * @param chunk (B, t, inputSize), or (t, B, inputSize) for a time-major layer; B must stay the same between
     *              calls until {@link #reset()}
     * @return the layer's output for the chunk (B, t, D*hOut), or (t, B, D*hOut) when time-major
     */
    public Tensor feed(Tensor chunk) {
        try (Grad g = Grad.disabled(); Scope scope = Tensor.scope()) {
            RecurrentOutput out = layer.forward(chunk, state);
            // The state outlives the caller's scopes (one per chunk, typically): hold it unscoped.
            RecurrentState next = Scope.unscoped(() -> out.state().detach());
            TruncatedBptt.close(state);
            state = next;
            return scope.keep(out.output());
        }
    }

    /** @return the state after the last chunk, or null before the first */
    public RecurrentState state() {
        return state;
    }

    /** Forgets the state: the next chunk starts from zeros. */
    public void reset() {
        TruncatedBptt.close(state);
        state = null;
    }
}
