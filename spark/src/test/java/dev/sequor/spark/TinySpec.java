package dev.sequor.spark;

import dev.sequor.core.Tensor;
import dev.sequor.nn.Losses;
import dev.sequor.nn.Module;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import dev.sequor.optim.Optimizer;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The tests' replica: TinyClassifier with Adam; optionally fails once at one step on one worker. */
final class TinySpec implements ReplicaSpec<Example> {
    private static final long serialVersionUID = 1L;
    /** Set by a test to N > 0: the N-th loss call after that (in this JVM) throws, once. */
    static final AtomicInteger FAIL_AT_CALL = new AtomicInteger();

    private final double lr;
    private final boolean failOnce;

    TinySpec(double lr, boolean failOnce) {
        this.lr = lr;
        this.failOnce = failOnce;
    }

    @Override
    public Module build() {
        return new TinyClassifier(2);
    }

    @Override
    public Optimizer optimizer(Module model) {
        return new Adam(model, AdamConfig.adam(lr));
    }

    @Override
    public Tensor loss(Module model, List<Example> batch) {
        if (failOnce && FAIL_AT_CALL.get() > 0 && FAIL_AT_CALL.decrementAndGet() == 0) {
            throw new IllegalStateException("injected worker failure");
        }
        int[][] tokens = new int[batch.size()][];
        float[] labels = new float[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            tokens[i] = batch.get(i).tokens();
            labels[i] = batch.get(i).label();
        }
        TokenBatch tb = TokenBatch.of(tokens);
        Tensor logits = ((TinyClassifier) model).logits(tb);
        return Losses.crossEntropy(logits, Tensor.of(model.backend(), labels, labels.length));
    }

    @Override
    public String kind() {
        return "tiny-classifier";
    }
}
