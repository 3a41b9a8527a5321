package dev.sequor.train;

/**
 * A quantity accumulated over batches and read once per report, as a Keras metric: {@link #reset()},
 * {@link #update} per batch, then {@link #value()}. Built-in ones are in {@link Metrics}.
 */
public interface Metric {

    /** @return the column name in the history ({@code accuracy}; validation adds {@code val_}) */
    String name();

    /** Forgets everything accumulated. */
    void reset();

    /**
     * Adds one batch.
     *
     * @param prediction the batch's output and targets, alive for this call only
     * @param loss       the batch's mean loss per counted target
     * @param counted    the number of targets that count ({@link Prediction#counted()})
     */
    void update(Prediction prediction, double loss, long counted);

    /** @return the value over every batch since {@link #reset()}; NaN if there was none */
    double value();
}
