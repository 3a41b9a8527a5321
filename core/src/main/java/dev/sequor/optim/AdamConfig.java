package dev.sequor.optim;

import java.util.function.Consumer;

/**
 * Hyperparameters of {@link Adam} and {@link AdamW}, with PyTorch's defaults through {@link #adam(double)}
 * and {@link #adamW(double)}.
 *
 * @param lr          learning rate gamma
 * @param beta1       decay of the first moment m
 * @param beta2       decay of the second moment v
 * @param eps         epsilon added to {@code sqrt(v_hat)} in the denominator
 * @param weightDecay lambda: added to the gradient as L2 in {@link Adam}, decoupled in {@link AdamW}
 * @param amsgrad     use the running maximum of v (Reddi et al., 2018, "On the Convergence of Adam and Beyond")
 */
public record AdamConfig(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {

    /** Validates the ranges PyTorch validates. */
    public AdamConfig {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("Adam: invalid learning rate " + lr);
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("Adam: invalid epsilon " + eps);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam: invalid weight decay " + weightDecay);
        }
    }

    /** @return torch.optim.Adam's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay */
    public static AdamConfig adam(double lr) {
        return new AdamConfig(lr, 0.9, 0.999, 1e-8, 0, false);
    }

    /** @return torch.optim.AdamW's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01 */
    public static AdamConfig adamW(double lr) {
        return new AdamConfig(lr, 0.9, 0.999, 1e-8, 0.01, false);
    }

    /** @return these options with betas {@code (b1, b2)} */
    public AdamConfig withBetas(double b1, double b2) {
        return edit(f -> { f.beta1 = b1; f.beta2 = b2; });
    }

    /** @return these options with epsilon {@code e} */
    public AdamConfig withEps(double e) {
        return edit(f -> f.eps = e);
    }

    /** @return these options with weight decay {@code lambda} */
    public AdamConfig withWeightDecay(double lambda) {
        return edit(f -> f.weightDecay = lambda);
    }

    /** @return these options with AMSGrad on or off */
    public AdamConfig withAmsgrad(boolean on) {
        return edit(f -> f.amsgrad = on);
    }

    /** @return a copy of this config with {@code change} applied to its components (every wither is one change) */
    private AdamConfig edit(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.build();
    }

    /**
     * The components as variables, so that a wither names only what it changes; a new component is added
     * here (declaration, copy, build) and in the record header, not in every wither.
     */
    private static final class Fields {
        double lr;
        double beta1;
        double beta2;
        double eps;
        double weightDecay;
        boolean amsgrad;

        Fields(AdamConfig c) {
            lr = c.lr;
            beta1 = c.beta1;
            beta2 = c.beta2;
            eps = c.eps;
            weightDecay = c.weightDecay;
            amsgrad = c.amsgrad;
        }

        AdamConfig build() {
            return new AdamConfig(lr, beta1, beta2, eps, weightDecay, amsgrad);
        }
    }
}
