package dev.sequor.spark;

import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.optim.Clip;
import dev.sequor.optim.Optimizer;

import java.util.ArrayList;
import java.util.List;

/**
 * One worker's copy of the model and its optimizer, with the two operations data parallelism needs:
 * the gradient of a shard as one flat array, and an update from a gradient summed over workers.
 * Plain Java, no Spark: the single-process reference ({@link SyncTrainer#fitLocal}) runs it too.
 *
 * <p>Flat layout: every parameter's values in {@link Optimizer#parameters()} order, row-major, then
 * one trailing element, the shard's contribution to the global mean loss.
 *
 * @param <E> one training example
 */
final class Replica<E> {
    private final ReplicaSpec<E> spec;
    final Module model;
    final Optimizer opt;
    private final List<Tensor> params;
    private final int size;
    long step;

    /** Builds the replica and loads {@code state} (checkpoint bytes) into it. */
    Replica(ReplicaSpec<E> spec, byte[] state, String source) {
        this.spec = spec;
        this.model = spec.build();
        this.opt = spec.optimizer(model);
        this.params = opt.parameters();
        int n = 0;
        for (Tensor p : params) {
            n = Math.addExact(n, (int) p.numel());
        }
        this.size = n;
        this.step = TrainingState.restore(state, source, model, opt);
    }

    /** @return the number of parameter values (the flat gradient has one more element) */
    int size() {
        return size;
    }

    /**
     * Backpropagates {@code (n_r / B) * mean loss(shard)}.
     *
     * @return the flat gradient of that scaled loss, its last element the scaled loss itself
     */
    float[] shardGradient(List<E> shard, int globalBatch) {
        model.train();
        opt.zeroGrad();
        float[] flat = new float[size + 1];
        try (var scope = Tensor.scope()) {
            Tensor loss = spec.loss(model, shard).mul((float) shard.size() / globalBatch);
            loss.backward();
            flat[size] = loss.item();
        }
        int off = 0;
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g != null) {
                float[] v = g.toFloatArray();
                System.arraycopy(v, 0, flat, off, v.length);
            }
            off += (int) p.numel();
        }
        return flat;
    }

    /** Sets every gradient to {@code flat} (the summed layout of {@link #shardGradient}), clips, and steps. */
    void applyGradient(float[] flat, double clipNorm) {
        int off = 0;
        for (Tensor p : params) {
            int n = (int) p.numel();
            float[] v = new float[n];
            System.arraycopy(flat, off, v, 0, n);
            off += n;
            if (p.grad() == null) {
                // This replica's shard did not reach p, another's did: materialise a zero gradient first.
                try (var scope = Tensor.scope()) {
                    p.sum().mul(0f).backward();
                }
            }
            try (var scope = Tensor.scope(); Grad g = Grad.disabled()) {
                p.grad().assign(Tensor.of(p.backend(), v, p.shape()));
            }
        }
        if (clipNorm > 0) {
            Clip.clipGradNorm(new ArrayList<>(params), clipNorm, 2.0);
        }
        opt.step();
        step++;
    }

    /** @return every parameter's values, flat */
    float[] parameters() {
        float[] flat = new float[size];
        int off = 0;
        for (Tensor p : params) {
            float[] v = p.toFloatArray();
            System.arraycopy(v, 0, flat, off, v.length);
            off += v.length;
        }
        return flat;
    }

    /** Overwrites every parameter with {@code flat} (the layout of {@link #parameters()}). */
    void setParameters(float[] flat) {
        int off = 0;
        for (Tensor p : params) {
            int n = (int) p.numel();
            float[] v = new float[n];
            System.arraycopy(flat, off, v, 0, n);
            off += n;
            try (var scope = Tensor.scope(); Grad g = Grad.disabled()) {
                p.assign(Tensor.of(p.backend(), v, p.shape()));
            }
        }
    }

    /** @return this replica's state as checkpoint bytes */
    byte[] encode() {
        return TrainingState.encode(model, opt, step, spec.kind(), spec.configJson());
    }
}
