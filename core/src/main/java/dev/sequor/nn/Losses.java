package dev.sequor.nn;

import dev.sequor.core.Grad;
import dev.sequor.core.CustomOp;
import dev.sequor.core.Tensor;

import java.util.Arrays;

/**
 * Loss functions with PyTorch's semantics. Class scores are batch-first with the class axis last:
 * {@code (N, C)} or {@code (B, T, C)} (any leading axes), with float class-id targets shaped like
 * the scores without the class axis. {@link Reduction#MEAN} over class ids averages over the
 * targets that are not {@code ignoreIndex}, so a batch with every target ignored gives NaN, as in
 * PyTorch. Class-id targets are checked on the host (one download of the targets per call), so a bad
 * id is an error naming it on every backend, synchronous or not.
 */
public final class Losses {

    /** PyTorch's default {@code ignore_index}. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    private Losses() {
    }

    /** Cross-entropy with mean reduction, no ignored class and no label smoothing. */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        return crossEntropy(logits, targets, DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0f);
    }

    /**
     * Softmax cross-entropy over logits through the fused
     * {@link dev.sequor.spi.Backend#crossEntropyForward} kernel: per target,
     * {@code l = -(1 - eps) log p_t - (eps / C) sum_c log p_c} with {@code p = softmax(logits)},
     * and 0 where the target is {@code ignoreIndex}.
     *
     * @param logits         {@code (..., C)} unnormalised scores
     * @param targets        {@code (...)} class ids as floats in {@code [0, C)}, or {@code ignoreIndex}
     * @param labelSmoothing {@code eps} in {@code [0, 1]} (PyTorch's {@code label_smoothing})
     * @return a scalar, or {@code (...)} for {@link Reduction#NONE}
     * @throws IllegalArgumentException naming both shapes when targets do not fit the logits
     * @throws IndexOutOfBoundsException naming the target and the class count when a class id is out of range
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, int ignoreIndex, Reduction reduction,
                                      float labelSmoothing) {
        String op = "crossEntropy";
        int classes = Targets.checkShape(op, logits, targets);
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
            throw new IllegalArgumentException(op + ": label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        int valid = Targets.countValid(op, targets, classes, ignoreIndex);
        int rows = (int) targets.numel();
        Tensor perRow = CrossEntropyOp.rowLosses(logits, targets, rows, classes, ignoreIndex, labelSmoothing);
        return reduce(perRow, targets.shape(), reduction, valid);
    }

    /**
     * Negative log-likelihood over log-probabilities (PyTorch's {@code nll_loss}):
     * {@code l = -logProbs[..., t]}, 0 where the target is {@code ignoreIndex}.
     *
     * @param logProbs {@code (..., C)}, e.g. from {@link Tensor#logSoftmax}
     * @param targets  {@code (...)} class ids as floats, or {@code ignoreIndex}
     */
    public static Tensor nll(Tensor logProbs, Tensor targets, int ignoreIndex, Reduction reduction) {
        String op = "nll";
        int classes = Targets.checkShape(op, logProbs, targets);
        int valid = Targets.countValid(op, targets, classes, ignoreIndex);
        Tensor ignored;
        Tensor safe;
        try (Grad g = Grad.disabled()) {
            ignored = targets.eq(targets.fullLike(ignoreIndex));
            safe = targets.maskedFill(ignored, 0f);
        }
        Tensor picked = logProbs.gather(-1, safe.unsqueeze(-1)).squeeze(-1).neg().maskedFill(ignored, 0f);
        return reduce(picked.reshape((int) targets.numel()), targets.shape(), reduction, valid);
    }

    /** Mean squared error {@code (x - y)^2}; {@code input} and {@code target} must have one shape. */
    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        requireSameShape("mse", input, target);
        Tensor sq = input.sub(target).square();
        return reduceElementwise(sq, reduction);
    }

    /**
     * Binary cross-entropy on logits, computed stably as
     * {@code l = max(x, 0) - x y + log(1 + e^-|x|)}, with gradient {@code sigma(x) - y} for {@code x}
     * and {@code -x} for {@code y} (soft targets may require gradients).
     *
     * @param logits  any shape
     * @param targets the same shape, values in {@code [0, 1]}
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor targets, Reduction reduction) {
        requireSameShape("bceWithLogits", logits, targets);
        Tensor loss;
        try (Grad g = Grad.disabled()) {
            loss = logits.relu().sub(logits.mul(targets)).add(logits.abs().neg().exp().add(1f).log());
        }
        loss = CustomOp.record("bceWithLogits", loss, g -> new Tensor[] {
            logits.requiresGrad() ? g.mul(logits.sigmoid().sub(targets)) : null,
            targets.requiresGrad() ? g.mul(logits).neg() : null}, logits, targets);
        return reduceElementwise(loss, reduction);
    }

    private static Tensor reduce(Tensor perRow, int[] targetShape, Reduction reduction, int valid) {
        return switch (reduction) {
            case NONE -> perRow.reshape(targetShape);
            case SUM -> perRow.sum();
            // 0 / 0 = NaN when every target is ignored, as PyTorch
            case MEAN -> perRow.sum().div(Tensor.scalar(perRow.backend(), valid));
        };
    }

    private static Tensor reduceElementwise(Tensor loss, Reduction reduction) {
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.mean();
        };
    }

    private static void requireSameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": input shape " + Arrays.toString(input.shape())
                    + " and target shape " + Arrays.toString(target.shape()) + " differ");
        }
    }
}
