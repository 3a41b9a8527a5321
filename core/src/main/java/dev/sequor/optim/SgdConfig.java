package dev.sequor.optim;

import java.util.function.Consumer;

/**
 * The hyperparameters of {@link Sgd}, with PyTorch's defaults through {@link #of(double)}.
 *
 * @param lr          learning rate gamma
 * @param momentum    mu (0: plain SGD, no buffer)
 * @param dampening   tau, scales the gradient's share of the momentum buffer by {@code 1 - tau}
 * @param nesterov    Nesterov momentum (needs momentum &gt; 0 and dampening 0, as in PyTorch)
 * @param weightDecay lambda, L2 penalty added to the gradient
 */
public record SgdConfig(double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
    /** Validates the ranges PyTorch validates. */
    public SgdConfig {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("Sgd: invalid learning rate " + lr);
        }
        if (!(momentum >= 0)) {
            throw new IllegalArgumentException("Sgd: invalid momentum " + momentum);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("Sgd: invalid weight decay " + weightDecay);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Sgd: Nesterov momentum requires momentum > 0 and zero dampening, got"
                    + " momentum " + momentum + ", dampening " + dampening);
        }
    }

    /** @return plain SGD with learning rate {@code lr} */
    public static SgdConfig of(double lr) {
        return new SgdConfig(lr, 0, 0, false, 0);
    }

    /** @return this config with momentum {@code mu} */
    public SgdConfig withMomentum(double mu) {
        return edit(f -> f.momentum = mu);
    }

    /** @return this config with dampening {@code tau} */
    public SgdConfig withDampening(double tau) {
        return edit(f -> f.dampening = tau);
    }

    /** @return this config with Nesterov momentum on or off */
    public SgdConfig withNesterov(boolean on) {
        return edit(f -> f.nesterov = on);
    }

    /** @return this config with weight decay {@code lambda} */
    public SgdConfig withWeightDecay(double lambda) {
        return edit(f -> f.weightDecay = lambda);
    }

    /** @return a copy of this config with {@code change} applied to its components (every wither is one change) */
    private SgdConfig edit(Consumer<Fields> change) {
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
        double momentum;
        double dampening;
        boolean nesterov;
        double weightDecay;

        Fields(SgdConfig c) {
            lr = c.lr;
            momentum = c.momentum;
            dampening = c.dampening;
            nesterov = c.nesterov;
            weightDecay = c.weightDecay;
        }

        SgdConfig build() {
            return new SgdConfig(lr, momentum, dampening, nesterov, weightDecay);
        }
    }
}
