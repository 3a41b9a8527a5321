package dev.sequor.spark;

import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.optim.Optimizer;

import java.io.Serializable;
import java.util.List;

/**
 * What every worker needs to hold a replica of a model and train it: how to build the model, its
 * optimizer, and the loss of a batch. Shipped to the executors by Java serialization, so an
 * implementation holds only configuration (sizes, learning rate), never tensors.
 *
 * <p>The loss must be the <em>mean</em> over the examples of {@code batch}: a worker that holds
 * {@code n_r} of the global batch's {@code B} examples scales its gradient by {@code n_r / B}, so the
 * sum over workers is the gradient of the mean loss over the whole global batch:
 * {@code ∇L = Σ_r (n_r / B) ∇L_r}.
 *
 * @param <E> one training example (serializable)
 */
public interface ReplicaSpec<E> extends Serializable {

    /** @return a new model on the executor's default backend; its initial values are replaced by the driver's */
    Module build();

    /** @return a new optimizer over {@code model}'s parameters */
    Optimizer optimizer(Module model);

    /**
     * @param model the replica
     * @param batch the examples of this worker's shard (never empty)
     * @return the mean loss over {@code batch}, a one-element tensor recorded for backward
     */
    Tensor loss(Module model, List<E> batch);

    /** @return the model kind written as {@code sequor.kind} in checkpoints */
    default String kind() {
        return "sequor.spark";
    }

    /** @return the model configuration as JSON, written as {@code sequor.config} in checkpoints */
    default String configJson() {
        return "{}";
    }
}
