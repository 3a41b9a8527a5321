package dev.sequor.nn.recurrent;

import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;

import java.util.function.IntConsumer;

/**
 * Truncated backpropagation through time (Williams and Peng 1990; k1 = k2 = k): a long sequence
 * {@code (B, T, F)} is run in chunks of {@code k} steps; each chunk starts from the previous chunk's
 * final state <em>detached</em>, so gradients flow through at most k steps while the state carries
 * information across the whole sequence.
 *
 * <pre>{@code
 * TruncatedBptt tbptt = new TruncatedBptt(lstm, 35);
 * float[] losses = tbptt.train(x, null,
 *         (out, start) -> criterion(head.forward(out.output()), targets.narrow(1, start, out.output().size(1))),
 *         start -> { optimizer.step(); optimizer.zeroGrad(); });
 * }</pre>
 *
 * Every chunk runs in its own {@link Scope}: its intermediates are freed before the next one. The
 * last chunk may be shorter than k. Variable lengths are not supported here (chunks of padded
 * sequences would need per-chunk lengths); pass equal-length streams.
 */
public final class TruncatedBptt {

    /** The loss of one chunk. */
    @FunctionalInterface
    public interface ChunkLoss {
        /**
         * @param out   the layer's output for the chunk ({@code (B, len, D*hOut)}, or {@code (len, B, D*hOut)}
         *              for a time-major layer) and its final state
         * @param start the index of the chunk's first step in the full sequence
         * @return a scalar loss to backpropagate
         */
        Tensor apply(RecurrentOutput out, int start);
    }

    private final RecurrentLayer layer;
    private final int k;

    /** @param k steps per chunk, at least 1 */
    public TruncatedBptt(RecurrentLayer layer, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("TruncatedBptt: chunk length k must be positive, got " + k);
        }
        this.layer = layer;
        this.k = k;
    }

    /**
     * Trains over {@code x} chunk by chunk: forward from the carried state, {@code loss.backward()},
     * then {@code afterBackward} (typically the optimizer step), then the state is detached.
     *
     * @param x       (B, T, inputSize), or (T, B, inputSize) for a time-major layer (chunks are cut along time)
     * @param initial the state before step 0, or null for zeros
     * @return the loss value of every chunk
     */
    public float[] train(Tensor x, RecurrentState initial, ChunkLoss loss, IntConsumer afterBackward) {
        int time = layer.timeDim();
        int steps = x.size(time);
        int chunks = (steps + k - 1) / k;
        float[] losses = new float[chunks];
        RecurrentState state = initial;
        for (int c = 0; c < chunks; c++) {
            int start = c * k;
            int len = Math.min(k, steps - start);
            RecurrentState next;
            try (Scope scope = Tensor.scope()) {
                RecurrentOutput out = layer.forward(x.narrow(time, start, len), state);   // (B, len, D*hOut)
                Tensor l = loss.apply(out, start);
                l.backward();
                losses[c] = l.item();
                if (afterBackward != null) {
                    afterBackward.accept(start);
                }
                next = keep(scope, out.state().detach());
            }
            if (state != initial) {
                close(state);
            }
            state = next;
        }
        if (state != initial) {
            close(state);
        }
        return losses;
    }

    /** @return a stateful stream for inference over chunks of any length, starting from zeros */
    public RecurrentStream stream() {
        return new RecurrentStream(layer);
    }

    /** @return the chunk length k */
    public int chunkLength() {
        return k;
    }

    static RecurrentState keep(Scope scope, RecurrentState s) {
        scope.keep(s.h());
        if (s.c() != null) {
            scope.keep(s.c());
        }
        return s;
    }

    static void close(RecurrentState s) {
        if (s != null) {
            s.h().close();
            if (s.c() != null) {
                s.c().close();
            }
        }
    }
}
