package dev.sequor.spark;

import java.io.Serializable;

/**
 * Settings of a distributed training run.
 *
 * @param workers      the number of replicas (Spark barrier tasks); each needs a free executor core
 * @param globalBatch  examples per step over all workers together, {@code B}; each worker takes
 *                     {@code B / workers} of them (the first {@code B mod workers} one more)
 * @param steps        the optimizer step to train to (a resumed run continues from its saved step)
 * @param seed         seed of the per-epoch shuffle that chooses each step's global batch
 * @param stepsPerJob  steps per Spark job; the driver writes a checkpoint after each job, and a failed
 *                     job is retried from the state at its start
 * @param mode         how replicas are kept equal
 * @param averageEvery for {@link Mode#PARAMETER_AVERAGING}: local steps between two averagings
 * @param clipNorm     global gradient-norm clipping threshold, applied to the summed gradient; 0: none
 */
public record SyncConfig(int workers, int globalBatch, int steps, long seed, int stepsPerJob, Mode mode,
                         int averageEvery, double clipNorm) implements Serializable {

    /** How the replicas stay in agreement. */
    public enum Mode {
        /**
         * Synchronous data parallelism: every step, gradients are summed over workers (an all-reduce
         * over {@code BarrierTaskContext.allGather}) and every replica applies the same update, so the
         * parameters equal those of one process training with the global batch.
         */
        SYNC_GRADIENTS,
        /**
         * DL4J-style parameter averaging: each worker steps on its own shard and the parameters are
         * averaged every {@code averageEvery} steps; less communication, not equal to one process.
         */
        PARAMETER_AVERAGING
    }

    /** Checks every field, naming the bad one. */
    public SyncConfig {
        if (workers < 1) {
            throw new IllegalArgumentException("SyncConfig: workers must be >= 1, got " + workers);
        }
        if (globalBatch < workers) {
            throw new IllegalArgumentException("SyncConfig: globalBatch " + globalBatch + " is smaller than workers "
                    + workers + ": every worker needs at least one example");
        }
        if (steps < 0 || stepsPerJob < 1) {
            throw new IllegalArgumentException("SyncConfig: steps must be >= 0 and stepsPerJob >= 1, got " + steps
                    + " and " + stepsPerJob);
        }
        if (mode == null) {
            throw new IllegalArgumentException("SyncConfig: mode is null");
        }
        if (averageEvery < 1) {
            throw new IllegalArgumentException("SyncConfig: averageEvery must be >= 1, got " + averageEvery);
        }
        if (!(clipNorm >= 0)) {
            throw new IllegalArgumentException("SyncConfig: clipNorm must be >= 0, got " + clipNorm);
        }
    }

    /** @return synchronous gradient summation with {@code workers} replicas, one job per 10 steps, no clipping */
    public static SyncConfig sync(int workers, int globalBatch, int steps, long seed) {
        return new SyncConfig(workers, globalBatch, steps, seed, 10, Mode.SYNC_GRADIENTS, 1, 0);
    }

    /** @return this configuration with parameter averaging every {@code k} steps */
    public SyncConfig withParameterAveraging(int k) {
        return new SyncConfig(workers, globalBatch, steps, seed, stepsPerJob, Mode.PARAMETER_AVERAGING, k, clipNorm);
    }

    /** @return this configuration with a checkpoint (and a Spark job) every {@code n} steps */
    public SyncConfig withStepsPerJob(int n) {
        return new SyncConfig(workers, globalBatch, steps, seed, n, mode, averageEvery, clipNorm);
    }

    /** @return this configuration with global gradient-norm clipping at {@code maxNorm} */
    public SyncConfig withClipNorm(double maxNorm) {
        return new SyncConfig(workers, globalBatch, steps, seed, stepsPerJob, mode, averageEvery, maxNorm);
    }

    /** @return this configuration training to step {@code n} */
    public SyncConfig withSteps(int n) {
        return new SyncConfig(workers, globalBatch, n, seed, stepsPerJob, mode, averageEvery, clipNorm);
    }

    /** @return the first global-batch position of worker {@code rank}'s shard ({@code rank == workers}: B) */
    public int shardStart(int rank) {
        int base = globalBatch / workers;
        int extra = globalBatch % workers;
        return rank * base + Math.min(rank, extra);
    }
}
