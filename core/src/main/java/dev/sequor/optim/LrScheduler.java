package dev.sequor.optim;

/**
 * A learning-rate schedule driving an {@link Optimizer}, as PyTorch's {@code lr_scheduler}: it reads the
 * optimizer's learning rate once as {@code baseLr}, and each {@link #step()} (called after
 * {@code optimizer.step()}, once per epoch or per iteration, as the schedule is meant) advances the
 * epoch counter and sets the optimizer's rate to {@link #lrAt(int)}, a closed form of the epoch.
 */
public abstract class LrScheduler {

    private final Optimizer optimizer;
    private final double baseLr;
    private int epoch;

    /** Captures the optimizer's current learning rate as the base rate. Subclasses call {@link #start()}. */
    protected LrScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        this.baseLr = optimizer.lr();
    }

    /** Sets the optimizer's rate for epoch 0; the last line of every subclass constructor. */
    protected final void start() {
        optimizer.setLr(lrAt(0));
    }

    /** @return the learning rate the optimizer started with */
    public double baseLr() {
        return baseLr;
    }

    /** @return the number of {@link #step()} calls so far (PyTorch's {@code last_epoch}) */
    public int epoch() {
        return epoch;
    }

    /** @return the optimizer driven */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** @return the learning rate of epoch {@code epoch} */
    public abstract double lrAt(int epoch);

    /** Advances one epoch and sets the optimizer's learning rate. */
    public void step() {
        epoch++;
        optimizer.setLr(lrAt(epoch));
    }

    /** Jumps to {@code epoch} (when resuming from a checkpoint) and sets the optimizer's rate. */
    public void setEpoch(int value) {
        if (value < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": epoch must be >= 0, got " + value);
        }
        epoch = value;
        optimizer.setLr(lrAt(epoch));
    }
}
