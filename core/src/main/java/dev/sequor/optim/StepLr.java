package dev.sequor.optim;

/**
 * Decays the learning rate by {@code gamma} every {@code stepSize} epochs, as {@code torch.optim.lr_scheduler.StepLR}:
 * {@code lr_e = baseLr * gamma^floor(e / stepSize)}.
 */
public final class StepLr extends LrScheduler {

    private final int stepSize;
    private final double gamma;

    /**
     * @param stepSize epochs between decays, &gt; 0
     * @param gamma    the factor applied at each decay
     */
    public StepLr(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) {
            throw new IllegalArgumentException("StepLr: stepSize must be > 0, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        start();
    }

    @Override
    public double lrAt(int epoch) {
        return baseLr() * Math.pow(gamma, epoch / stepSize);
    }
}
