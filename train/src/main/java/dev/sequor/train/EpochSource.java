package dev.sequor.train;

/**
 * The batches of each epoch, so that each epoch may be shuffled anew
 * ({@code e -> Batches.epoch(sequences, 32, pad, seed, e, 0)}).
 *
 * @param <B> the batch type
 */
@FunctionalInterface
public interface EpochSource<B> {
    /** @return the batches of epoch {@code epoch}; the same epoch must give the same batches (resume relies on it) */
    Iterable<B> epoch(int epoch);
}
