package dev.sequor.spark;

import dev.sequor.nn.Module;
import dev.sequor.optim.Optimizer;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Data-parallel training on Spark with the driver as the keeper of the state.
 *
 * <p>A run is a chain of Spark jobs of {@code stepsPerJob} steps. Each job broadcasts the current
 * checkpoint bytes, starts {@code workers} barrier tasks that each build a {@link Replica} from them,
 * and every step each task computes the gradient of its shard of the global batch
 * ({@link BatchPlan}: the same shuffle everywhere), the tasks sum those gradients with
 * {@code BarrierTaskContext.allGather} (added in rank order, so every replica gets the same bits) and
 * each applies the same optimizer step. Worker 0 sends the new state back, the driver writes it as the
 * checkpoint, and the next job starts from it. A task that fails makes Spark rerun the whole barrier
 * stage, which restarts from the job's broadcast state, so a retried run ends where an unbroken one
 * does. No cluster code of our own: distribution, scheduling and retries are Spark's.
 */
public final class SyncTrainer {
    private SyncTrainer() {
    }

    /**
     * Trains on Spark.
     *
     * @param sc         the Spark context; it needs {@code cfg.workers()} free task slots at once
     * @param data       every training example; broadcast once to the executors
     * @param checkpoint where the driver writes the state after each job, or null for none
     * @param resume     continue from {@code checkpoint}'s state (it must exist); otherwise an existing
     *                   {@code checkpoint} is refused, never overwritten
     * @throws IllegalArgumentException before any job runs, for a missing, corrupt or mismatched
     *                                  checkpoint, an unwritable path or too little data
     */
    public static <E extends Serializable> TrainResult fit(JavaSparkContext sc, List<E> data, ReplicaSpec<E> spec,
                                                           SyncConfig cfg, Path checkpoint, boolean resume) {
        byte[] state = startState(spec, checkpoint, resume);
        new BatchPlan(data.size(), cfg.globalBatch(), cfg.seed());
        Broadcast<List<E>> shared = sc.broadcast(new ArrayList<>(data));
        ClassTag<String> tag = ClassTag$.MODULE$.apply(String.class);
        List<Double> losses = new ArrayList<>();
        long compute = 0;
        long reduce = 0;
        long bytes = 0;
        long step = TrainingState.restoreStep(state);
        try {
            while (step < cfg.steps()) {
                long end = Math.min(cfg.steps(), step + cfg.stepsPerJob());
                Broadcast<byte[]> start = sc.broadcast(state);
                List<Integer> ranks = new ArrayList<>();
                for (int r = 0; r < cfg.workers(); r++) {
                    ranks.add(r);
                }
                RDD<String> out = sc.parallelize(ranks, cfg.workers()).rdd().barrier()
                        .mapPartitions(new StepsTask<>(shared, start, spec, cfg, end), false, tag);
                // A shuffle after the barrier stage makes it a map stage, which Spark resubmits whole when a
                // task fails (a failed barrier result stage would abort the job instead).
                List<String> results = out.toJavaRDD().repartition(1).collect();
                start.destroy();
                StepsTask.Report report = StepsTask.Report.parse(results);
                state = report.state();
                for (double l : report.losses()) {
                    losses.add(l);
                }
                compute += report.computeNanos();
                reduce += report.reduceNanos();
                bytes = report.bytesPerStep();
                step = end;
                if (checkpoint != null) {
                    TrainingState.write(checkpoint, state);
                }
            }
        } finally {
            shared.destroy();
        }
        return new TrainResult(state, losses.stream().mapToDouble(Double::doubleValue).toArray(), compute, reduce, bytes);
    }

    /**
     * The single-process reference: the same plan and state handling with one replica that takes the
     * whole global batch, so {@link SyncConfig.Mode#SYNC_GRADIENTS} on Spark must end at the same
     * parameters (up to float summation order).
     */
    public static <E> TrainResult fitLocal(List<E> data, ReplicaSpec<E> spec, SyncConfig cfg) {
        Replica<E> rep = new Replica<>(spec, initialState(spec), "initial state");
        BatchPlan plan = new BatchPlan(data.size(), cfg.globalBatch(), cfg.seed());
        double[] losses = new double[cfg.steps()];
        long t0 = System.nanoTime();
        for (int s = 0; s < cfg.steps(); s++) {
            List<E> batch = new ArrayList<>();
            for (int i : plan.batch(s)) {
                batch.add(data.get(i));
            }
            float[] g = rep.shardGradient(batch, cfg.globalBatch());
            losses[s] = g[g.length - 1];
            rep.applyGradient(g, cfg.clipNorm());
        }
        return new TrainResult(rep.encode(), losses, System.nanoTime() - t0, 0, 0);
    }

    /** @return checkpoint bytes of a freshly built model and optimizer at step 0 */
    public static <E> byte[] initialState(ReplicaSpec<E> spec) {
        Module model = spec.build();
        Optimizer opt = spec.optimizer(model);
        return TrainingState.encode(model, opt, 0, spec.kind(), spec.configJson());
    }

    private static <E> byte[] startState(ReplicaSpec<E> spec, Path checkpoint, boolean resume) {
        if (checkpoint == null) {
            if (resume) {
                throw new IllegalArgumentException("SyncTrainer: resume needs a checkpoint path");
            }
            return initialState(spec);
        }
        if (resume) {
            byte[] bytes = TrainingState.read(checkpoint);
            // Fail on the driver, not in a task: the state must fit the replica the spec builds.
            new Replica<>(spec, bytes, checkpoint.toString());
            return bytes;
        }
        if (Files.exists(checkpoint)) {
            throw new IllegalArgumentException("SyncTrainer: checkpoint " + checkpoint + " already exists; resume from "
                    + "it or choose another path (it is never overwritten by a new run)");
        }
        probeWritable(checkpoint);
        return initialState(spec);
    }

    private static void probeWritable(Path checkpoint) {
        try {
            Path dir = checkpoint.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Files.deleteIfExists(Files.createTempFile(dir, ".sequor-probe", ".tmp"));
        } catch (IOException e) {
            throw new IllegalArgumentException("SyncTrainer: cannot write checkpoint " + checkpoint + ": " + e, e);
        }
    }
}
