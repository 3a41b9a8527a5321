package dev.sequor.train;

import dev.sequor.core.Tensor;
import dev.sequor.nn.Losses;
import dev.sequor.nn.Reduction;

/**
 * What a forward pass returns to the training loop: the model's output and the targets it is scored
 * against. For classification {@code output} is logits {@code (N, C)} and {@code target} class ids
 * {@code (N)}; for sequences {@code output} is {@code (B, T, C)} and {@code target} {@code (B, T)}. Every
 * target equal to {@code ignoreIndex} (padding) is left out of the loss and of every metric.
 *
 * @param output      logits, the last axis over classes
 * @param target      class ids as floats, the output's shape without its last axis
 * @param ignoreIndex the target value that does not count
 */
public record Prediction(Tensor output, Tensor target, int ignoreIndex) {

    /** @return a prediction where every target counts except {@link Losses#DEFAULT_IGNORE_INDEX} */
    public static Prediction of(Tensor output, Tensor target) {
        return new Prediction(output, target, Losses.DEFAULT_IGNORE_INDEX);
    }

    /** @return this prediction with targets equal to {@code padId} left out of loss and metrics */
    public Prediction ignoring(int padId) {
        return new Prediction(output, target, padId);
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
