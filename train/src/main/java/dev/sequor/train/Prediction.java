package dev.sequor.train;

import dev.sequor.core.Tensor;
import dev.sequor.nn.Losses;
import dev.sequor.nn.Reduction;

/**
 * What a forward pass returns to the training loop: the model's output and the targets it is scored
 * against. For classification {@code output} is logits {@code (N, C)} and {@code target} class ids
 * {@code (N)}; for sequences {@code output} is {@code (B, T, C)} and {@code target} {@code (B, T)}. Every
 * target equal to {@code ignoreIndex} (padding) is left out of the loss and of every metric. A forward
 * pass that computes its own loss (a decoder run step by step) hands it over as {@code loss}; the loop
 * then uses it instead of cross-entropy, and {@code output} may be null if no metric needs it.
 *
 * @param output      logits, the last axis over classes
 * @param target      class ids as floats, the output's shape without its last axis
 * @param ignoreIndex the target value that does not count
 * @param loss        the batch's mean loss per counted target, computed by the forward pass, or null
 */
public record Prediction(Tensor output, Tensor target, int ignoreIndex, Tensor loss) {

    /** A prediction whose loss the loop computes (cross-entropy unless the trainer is given another). */
    public Prediction(Tensor output, Tensor target, int ignoreIndex) {
        this(output, target, ignoreIndex, null);
    }

    /** @return a prediction where every target counts except {@link Losses#DEFAULT_IGNORE_INDEX} */
    public static Prediction of(Tensor output, Tensor target) {
        return new Prediction(output, target, Losses.DEFAULT_IGNORE_INDEX);
    }

    /** @return this prediction with targets equal to {@code padId} left out of loss and metrics */
    public Prediction ignoring(int padId) {
        return new Prediction(output, target, padId, loss);
    }

    /**
     * @param loss the scalar mean loss per counted target the forward pass computed
     * @return a prediction that carries its own loss, targets equal to {@code ignoreIndex} not counted
     */
    public static Prediction withLoss(Tensor loss, Tensor output, Tensor target, int ignoreIndex) {
        return new Prediction(output, target, ignoreIndex, loss);
    }

    /** @return {@link #loss()} when the forward pass gave one, else {@link #crossEntropy()} (the loop's default) */
    public Tensor defaultLoss() {
        return loss != null ? loss : crossEntropy();
    }

    /** @return the number of classes {@code C}, the size of the output's last axis */
    public int classes() {
        return output.size(output.rank() - 1);
    }

    /** @return the targets that count: those not equal to {@link #ignoreIndex()} */
    public int counted() {
        int n = 0;
        for (float t : target.toFloatArray()) {
            if (t != ignoreIndex) {
                n++;
            }
        }
        return n;
    }

    /**
     * The loop's default loss: cross-entropy of {@code output (..., C)} against {@code target (...)},
     * {@code -log softmax(output)[target]} averaged over the counted targets.
     *
     * @return a scalar
     */
    public Tensor crossEntropy() {
        return Losses.crossEntropy(output, target, ignoreIndex, Reduction.MEAN, 0f);
    }
}
