package dev.sequor.optim;

import dev.sequor.core.InPlace;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.BinaryOp;

import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, 2019, "Decoupled Weight Decay Regularization"), exactly
 * {@code torch.optim.AdamW}: the parameter decays before the Adam update,
 * {@code theta <- theta (1 - gamma lambda)}, and the gradient is left as it is; then the moment updates
 * of {@link AdaptiveMoments}. Defaults from {@link AdamConfig#adamW(double)} (lambda = 0.01).
 */
public final class AdamW extends AdaptiveMoments {

    /** AdamW over a module's parameters (state keyed by their dotted names). */
    public AdamW(Module module, AdamConfig options) {
        this(module.namedParameters(), options);
    }

    /** AdamW over named parameters. */
    public AdamW(Map<String, Tensor> params, AdamConfig options) {
        super(params, options);
    }

    /** AdamW over a list of parameters (state keyed {@code "0"}, {@code "1"}, ...). */
    public AdamW(List<Tensor> params, AdamConfig options) {
        this(numbered(params), options);
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long step) {
        InPlace.scalar(BinaryOp.MUL, param, (float) (1 - lr() * options().weightDecay()), param);
        adamStep(index, param, grad, step);
    }
}
