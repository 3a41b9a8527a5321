package dev.sequor.train;

import dev.sequor.core.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Seeded shuffling and padded batching of int-token sequences.
 *
 * <p>The order of epoch {@code e} is a Fisher-Yates shuffle of {@code 0..n-1} drawn from a
 * {@link Random} seeded with {@code seed XOR (0x9E3779B97F4A7C15 * (e + 1))}: the same seed and epoch
 * always give the same order, and different epochs give different orders. A batch pads each row on the
 * right with {@code padId} to the longest row; with bucketing, the shuffled order is cut into buckets
 * of {@code bucketSize} sequences, each bucket is sorted by length (so a batch holds similar lengths and
 * little padding), and the batches are then shuffled again from the same seed.
 */
public final class Batches {

    private Batches() {
    }

    /**
     * @return a permutation of {@code 0..n-1}: for {@code i = n-1 .. 1}, swap {@code i} with a uniform {@code j in [0, i]}
     */
    public static int[] shuffledOrder(int n, long seed, int epoch) {
        if (n < 0 || epoch < 0) {
            throw new IllegalArgumentException("shuffledOrder: n and epoch must be >= 0, got n=" + n + ", epoch=" + epoch);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, rng(seed, epoch));
        return order;
    }

    /**
     * Right-pads {@code sequences[indices[b]]} into one batch.
     *
     * @return ids {@code (B, T)} with {@code T = max length}, lengths {@code (B)} and the indices
     * @throws IllegalArgumentException if there are no indices or a sequence is empty
     */
    public static PaddedBatch pad(List<int[]> sequences, int[] indices, int padId) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("pad: a batch needs at least one sequence");
        }
        int[] lengths = new int[indices.length];
        int t = 0;
        for (int b = 0; b < indices.length; b++) {
            lengths[b] = sequences.get(indices[b]).length;
            if (lengths[b] == 0) {
                throw new IllegalArgumentException("pad: sequence " + indices[b] + " is empty");
            }
            t = Math.max(t, lengths[b]);
        }
        float[] ids = new float[indices.length * t];
        Arrays.fill(ids, padId);
        for (int b = 0; b < indices.length; b++) {
            int[] s = sequences.get(indices[b]);
            for (int i = 0; i < s.length; i++) {
                ids[b * t + i] = s[i];
            }
        }
        return new PaddedBatch(Tensor.of(ids, indices.length, t), lengths, indices.clone());
    }

    /**
     * The padded batches of one epoch, in shuffled order; the last batch may be smaller.
     *
     * @param bucketSize 0 for no bucketing, else the number of shuffled sequences sorted by length together
     *                   (a multiple of {@code batchSize} is best)
     */
    public static List<PaddedBatch> epoch(List<int[]> sequences, int batchSize, int padId, long seed, int epoch,
                                          int bucketSize) {
        if (batchSize <= 0 || bucketSize < 0) {
            throw new IllegalArgumentException("epoch: batchSize must be > 0 and bucketSize >= 0, got "
                    + batchSize + ", " + bucketSize);
        }
        Integer[] order = Arrays.stream(shuffledOrder(sequences.size(), seed, epoch)).boxed().toArray(Integer[]::new);
        if (bucketSize > 0) {
            Comparator<Integer> byLength = Comparator.comparingInt(i -> sequences.get(i).length);
            for (int from = 0; from < order.length; from += bucketSize) {
                Arrays.sort(order, from, Math.min(order.length, from + bucketSize), byLength);
            }
        }
        List<int[]> groups = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            int[] g = new int[to - from];
            for (int i = from; i < to; i++) {
                g[i - from] = order[i];
            }
            groups.add(g);
        }
        if (bucketSize > 0) {
            Random r = rng(~seed, epoch);
            for (int i = groups.size() - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int[] tmp = groups.get(i);
                groups.set(i, groups.get(j));
                groups.set(j, tmp);
            }
        }
        List<PaddedBatch> out = new ArrayList<>(groups.size());
        for (int[] g : groups) {
            out.add(pad(sequences, g, padId));
        }
        return out;
    }

    /**
     * The loop's data source over {@link #epoch}: epoch {@code e} is {@code epoch(sequences, batchSize,
     * padId, seed, e, bucketSize)}, so every epoch is shuffled anew and a resumed run sees the same batches.
     */
    public static EpochSource<PaddedBatch> source(List<int[]> sequences, int batchSize, int padId, long seed,
                                                  int bucketSize) {
        return e -> epoch(sequences, batchSize, padId, seed, e, bucketSize);
    }

    private static Random rng(long seed, int epoch) {
        return new Random(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L)));
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
