package dev.sequor.train;

import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.optim.Clip;
import dev.sequor.optim.Optimizer;

import java.util.function.BiFunction;

/**
 * A minimal training loop: for each batch, inside a {@link Tensor#scope()},
 * {@code zeroGrad; L = loss(model, batch); dL/dtheta by backward; clip ||g||_2 <= maxNorm; optimizer.step()}.
 *
 * @param <M> the model type
 * @param <B> the batch type
 */
public final class Trainer<M extends Module, B> {

    private final M model;
    private final Optimizer optimizer;
    private final BiFunction<M, B, Tensor> loss;
    private final double maxGradNorm;

    /** @param maxGradNorm the clipping threshold on the global L2 gradient norm; infinite for none */
    public Trainer(M model, Optimizer optimizer, BiFunction<M, B, Tensor> loss, double maxGradNorm) {
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
        this.maxGradNorm = maxGradNorm;
    }

    /** Runs {@code epochs} passes over {@code batches}; @return the mean loss of the last epoch */
    public double fit(Iterable<B> batches, int epochs) {
        double mean = Double.NaN;
        for (int e = 0; e < epochs; e++) {
            model.train();
            double sum = 0;
            int n = 0;
            for (B b : batches) {
                try (Scope s = Tensor.scope()) {
                    optimizer.zeroGrad();
                    Tensor l = loss.apply(model, b);
                    l.backward();
                    if (!Double.isInfinite(maxGradNorm)) {
                        Clip.clipGradNorm(optimizer.parameters(), maxGradNorm, 2.0);
                    }
                    optimizer.step();
                    sum += l.item();
                    n++;
                }
            }
            mean = sum / n;
        }
        return mean;
    }

    /** @return the mean over batches of the batch loss, {@code (1/N) sum_i loss(model, b_i)}, in eval mode */
    public double evaluate(Iterable<B> batches) {
        model.eval();
        double sum = 0;
        int n = 0;
        for (B b : batches) {
            try (Scope s = Tensor.scope()) {
                sum += loss.apply(model, b).item();
                n++;
            }
        }
        model.train();
        return sum / n;
    }
}
