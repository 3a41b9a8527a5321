package dev.sequor.optim;

/**
 * Cosine annealing (Loshchilov and Hutter, 2017, SGDR without restarts), PyTorch's closed form of
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR}:
 * {@code eta_e = eta_min + (eta_max - eta_min) (1 + cos(pi e / T_max)) / 2}, with {@code eta_max = baseLr}.
 * Past {@code T_max} the cosine continues (it rises again), as PyTorch's closed form does.
 */
public final class CosineAnnealingLr extends LrScheduler {

    private final int tMax;
    private final double etaMin;

    /**
     * @param tMax   half a cosine period in epochs, &gt; 0
     * @param etaMin the minimum learning rate, reached at epoch {@code tMax}
     */
    public CosineAnnealingLr(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) {
            throw new IllegalArgumentException("CosineAnnealingLr: tMax must be > 0, got " + tMax);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        start();
    }

    @Override
    public double lrAt(int epoch) {
        return etaMin + (baseLr() - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
