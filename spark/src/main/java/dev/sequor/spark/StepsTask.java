package dev.sequor.spark;

import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The body of one barrier task: build the replica from the job's broadcast state, run the job's
 * steps with an all-reduce per step (or an averaging every {@code averageEvery} steps), and on worker 0
 * return the new state and the step losses as one string.
 */
final class StepsTask<E> extends AbstractFunction1<Iterator<Integer>, Iterator<String>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Broadcast<List<E>> data;
    private final Broadcast<byte[]> state;
    private final ReplicaSpec<E> spec;
    private final SyncConfig cfg;
    private final long end;

    StepsTask(Broadcast<List<E>> data, Broadcast<byte[]> state, ReplicaSpec<E> spec, SyncConfig cfg, long end) {
        this.data = data;
        this.state = state;
        this.spec = spec;
        this.cfg = cfg;
        this.end = end;
    }

    @Override
    public Iterator<String> apply(Iterator<Integer> ignored) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        List<E> all = data.value();
        Replica<E> rep = new Replica<>(spec, state.value(), "broadcast state");
        BatchPlan plan = new BatchPlan(all.size(), cfg.globalBatch(), cfg.seed());
        boolean sync = cfg.mode() == SyncConfig.Mode.SYNC_GRADIENTS;
        List<Double> losses = new ArrayList<>();
        long compute = 0;
        long reduce = 0;
        long bytes = 0;
        for (long s = rep.step; s < end; s++) {
            int[] idx = plan.batch(s);
            List<E> shard = new ArrayList<>();
            for (int p = cfg.shardStart(rank); p < cfg.shardStart(rank + 1); p++) {
                shard.add(all.get(idx[p]));
            }
            long t0 = System.nanoTime();
            // Sync: scale to the global mean so the sum is the one-process gradient; averaging: the shard's mean.
            float[] g = rep.shardGradient(shard, sync ? cfg.globalBatch() : shard.size());
            long t1 = System.nanoTime();
            if (sync) {
                String mine = FloatCodec.encode(g);
                bytes = mine.length();
                g = FloatCodec.sum(ctx.allGather(mine));
            }
            long t2 = System.nanoTime();
            losses.add((double) g[g.length - 1]);
            rep.applyGradient(g, cfg.clipNorm());
            long t3 = System.nanoTime();
            if (!sync && ((s + 1) % cfg.averageEvery() == 0 || s + 1 == end)) {
                String mine = FloatCodec.encode(rep.parameters());
                bytes = mine.length();
                float[] sum = FloatCodec.sum(ctx.allGather(mine));
                for (int i = 0; i < sum.length; i++) {
                    sum[i] /= cfg.workers();
                }
                rep.setParameters(sum);
            }
            long t4 = System.nanoTime();
            compute += (t1 - t0) + (t3 - t2);
            reduce += (t2 - t1) + (t4 - t3);
        }
        if (rank != 0) {
            return CollectionConverters.asScala(List.<String>of().iterator());
        }
        String report = new Report(rep.encode(), losses.stream().mapToDouble(Double::doubleValue).toArray(), compute,
                reduce, bytes).format();
        return CollectionConverters.asScala(List.of(report).iterator());
    }

    /** Worker 0's answer: state bytes, losses and timings, as one line-based string. */
    record Report(byte[] state, double[] losses, long computeNanos, long reduceNanos, long bytesPerStep) {
        String format() {
            StringBuilder sb = new StringBuilder();
            sb.append(Base64.getEncoder().encodeToString(state)).append('\n');
            sb.append(computeNanos).append(' ').append(reduceNanos).append(' ').append(bytesPerStep).append('\n');
            for (double l : losses) {
                sb.append(l).append(' ');
            }
            return sb.toString();
        }

        static Report parse(List<String> results) {
            if (results.size() != 1) {
                throw new IllegalStateException("SyncTrainer: expected one report from worker 0, got " + results.size());
            }
            String[] lines = results.get(0).split("\n", -1);
            String[] t = lines[1].split(" ");
            String lossLine = lines.length > 2 ? lines[2].trim() : "";
            double[] losses = lossLine.isEmpty() ? new double[0]
                    : Arrays.stream(lossLine.split(" ")).mapToDouble(Double::parseDouble).toArray();
            return new Report(Base64.getDecoder().decode(lines[0]), losses, Long.parseLong(t[0]), Long.parseLong(t[1]),
                    Long.parseLong(t[2]));
        }
    }
}
