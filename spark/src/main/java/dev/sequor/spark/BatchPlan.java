package dev.sequor.spark;

import java.util.SplittableRandom;

/**
 * Which examples form the global batch of a step: the data is shuffled once per epoch from the seed
 * (Fisher–Yates) and cut into {@code floor(n / B)} batches, the remainder dropped. Driver, workers and
 * the single-process reference compute the same plan from the same numbers, so no indices travel.
 */
public final class BatchPlan {
    private final int dataSize;
    private final int batch;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] perm;

    /**
     * @throws IllegalArgumentException when the data holds fewer examples than one batch
     */
    public BatchPlan(int dataSize, int batch, long seed) {
        if (batch < 1 || dataSize < batch) {
            throw new IllegalArgumentException("BatchPlan: " + dataSize + " examples cannot fill a batch of " + batch);
        }
        this.dataSize = dataSize;
        this.batch = batch;
        this.seed = seed;
    }

    /** @return the data indices of step {@code step}'s global batch, in batch order (length B) */
    public int[] batch(long step) {
        long perEpoch = dataSize / batch;
        long epoch = step / perEpoch;
        if (epoch != cachedEpoch) {
            perm = permutation(epoch);
            cachedEpoch = epoch;
        }
        int start = (int) ((step % perEpoch) * batch);
        int[] out = new int[batch];
        System.arraycopy(perm, start, out, 0, batch);
        return out;
    }

    private int[] permutation(long epoch) {
        int[] p = new int[dataSize];
        for (int i = 0; i < dataSize; i++) {
            p[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = dataSize - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
