package dev.sequor.train;

import java.util.Map;

/**
 * Hooks into {@link Trainer#fit}, as Keras callbacks: every method does nothing by default. A callback
 * may stop training with {@link Trainer#requestStop()}.
 */
public interface Callback {

    /** Called once before the first step of a {@code fit} (after any resume). */
    default void onTrainBegin(Trainer<?> trainer) {
    }

    /**
     * Called after each training step.
     *
     * @param step   the number of completed steps, from 1
     * @param loss   this step's mean loss per counted target
     * @param tokens the targets this step counted
     */
    default void onStepEnd(Trainer<?> trainer, int step, double loss, long tokens) {
    }

    /**
     * Called after each validation (every {@code validateEvery} steps and at the end of {@code fit}).
     *
     * @param metrics the history row just recorded: {@code loss}, {@code val_loss}, {@code val_<metric>}, ...
     */
    default void onValidation(Trainer<?> trainer, int step, Map<String, Double> metrics) {
    }

    /** Called once when {@code fit} returns, normally or after a stop request. */
    default void onTrainEnd(Trainer<?> trainer, History history) {
    }
}
