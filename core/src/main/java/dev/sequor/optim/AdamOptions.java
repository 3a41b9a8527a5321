package dev.sequor.optim;

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
public record AdamOptions(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {

    /** Validates the ranges PyTorch validates. */
    public AdamOptions {
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
    public static AdamOptions adam(double lr) {
        return new AdamOptions(lr, 0.9, 0.999, 1e-8, 0, false);
    }

    /** @return torch.optim.AdamW's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01 */
    public static AdamOptions adamW(double lr) {
        return new AdamOptions(lr, 0.9, 0.999, 1e-8, 0.01, false);
    }

    /** @return these options with betas {@code (b1, b2)} */
    public AdamOptions withBetas(double b1, double b2) {
        return new AdamOptions(lr, b1, b2, eps, weightDecay, amsgrad);
    }

    /** @return these options with epsilon {@code e} */
    public AdamOptions withEps(double e) {
        return new AdamOptions(lr, beta1, beta2, e, weightDecay, amsgrad);
    }

    /** @return these options with weight decay {@code lambda} */
    public AdamOptions withWeightDecay(double lambda) {
        return new AdamOptions(lr, beta1, beta2, eps, lambda, amsgrad);
    }

    /** @return these options with AMSGrad on or off */
    public AdamOptions withAmsgrad(boolean on) {
        return new AdamOptions(lr, beta1, beta2, eps, weightDecay, on);
    }
}
