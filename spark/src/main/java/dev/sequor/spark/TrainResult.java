package dev.sequor.spark;

/**
 * What a training run returns to the driver.
 *
 * @param state        the final checkpoint bytes (see {@link TrainingState})
 * @param losses       the global mean training loss of each step this run made, in order
 * @param computeNanos summed over the run on worker 0: forward, backward and optimizer time
 * @param reduceNanos  summed over the run on worker 0: time inside {@code allGather} and summing
 * @param bytesPerStep bytes each worker sends per all-reduce (its encoded gradient or parameters)
 */
public record TrainResult(byte[] state, double[] losses, long computeNanos, long reduceNanos, long bytesPerStep) {
}
