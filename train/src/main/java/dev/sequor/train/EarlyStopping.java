package dev.sequor.train;

import java.util.Map;

/**
 * Stops training when a monitored metric has not improved for {@code patience} validations, as Keras'
 * {@code EarlyStopping}: an improvement is {@code v < best - minDelta} (or {@code v > best + minDelta}
 * when maximizing). A NaN value never improves.
 */
public final class EarlyStopping implements Callback {

    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean maximize;
    private double best;
    private int bad;
    private int stoppedAt = -1;

    /**
     * @param monitor  the history column ({@code val_loss}, {@code val_accuracy}, ...)
     * @param patience validations without improvement before stopping, &gt;= 1
     * @param minDelta the least change that counts as improvement, &gt;= 0
     * @param maximize true for a metric that should rise (accuracy)
     */
    public EarlyStopping(String monitor, int patience, double minDelta, boolean maximize) {
        if (patience < 1 || !(minDelta >= 0)) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 1 and minDelta >= 0, got "
                    + patience + ", " + minDelta);
        }
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.maximize = maximize;
        this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** @return early stopping on {@code val_loss}, minimizing, with no minimum change */
    public static EarlyStopping onValLoss(int patience) {
        return new EarlyStopping("val_loss", patience, 0, false);
    }

    @Override
    public void onValidation(Trainer<?> trainer, int step, Map<String, Double> metrics) {
        Double v = metrics.get(monitor);
        if (v == null) {
            throw new IllegalStateException("EarlyStopping: no column '" + monitor + "' in " + metrics.keySet());
        }
        boolean better = maximize ? v > best + minDelta : v < best - minDelta;
        if (better) {
            best = v;
            bad = 0;
        } else if (++bad >= patience) {
            stoppedAt = step;
            trainer.requestStop();
        }
    }

    /** @return the best value seen */
    public double best() {
        return best;
    }

    /** @return the step at which it stopped training, or -1 if it has not */
    public int stoppedAt() {
        return stoppedAt;
    }
}
