package dev.sequor.optim;

/**
 * Linear warm-up in front of another schedule: {@code lr_e = after.lrAt(e) * min(1, (e + 1) / warmup)},
 * so the first step uses {@code 1/warmup} of the rate and epoch {@code warmup - 1} the full rate. This is
 * PyTorch's {@code LinearLR(start_factor=1/warmup, total_iters=warmup-1)} chained with {@code after}
 * (multiplicatively, as {@code ChainedScheduler} does). Step only this wrapper, not {@code after}.
 */
public final class LinearWarmup extends LrScheduler {

    private final int warmup;
    private final LrScheduler after;

    /**
     * @param warmup epochs of warm-up, &gt; 0
     * @param after  the schedule that follows, built on the same optimizer
     */
    public LinearWarmup(int warmup, LrScheduler after) {
        super(after.optimizer());
        if (warmup <= 0) {
            throw new IllegalArgumentException("LinearWarmup: warmup must be > 0, got " + warmup);
        }
        this.warmup = warmup;
        this.after = after;
        start();
    }

    @Override
    public double lrAt(int epoch) {
        return after.lrAt(epoch) * Math.min(1.0, (epoch + 1) / (double) warmup);
    }
}
