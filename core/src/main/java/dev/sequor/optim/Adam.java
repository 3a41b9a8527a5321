package dev.sequor.optim;

import dev.sequor.core.InPlace;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.BinaryOp;

import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015), exactly {@code torch.optim.Adam}: weight decay {@code lambda} is an L2
 * penalty added to the gradient, {@code g_t <- g_t + lambda theta_{t-1}}, before the moment updates of
 * {@link AdaptiveMoments}; optional AMSGrad.
 */
public final class Adam extends AdaptiveMoments {

    /** Adam over a module's parameters (state keyed by their dotted names). */
    public Adam(Module module, AdamConfig options) {
        this(module.namedParameters(), options);
    }

    /** Adam over named parameters. */
    public Adam(Map<String, Tensor> params, AdamConfig options) {
        super(params, options);
    }

    /** Adam over a list of parameters (state keyed {@code "0"}, {@code "1"}, ...). */
    public Adam(List<Tensor> params, AdamConfig options) {
        this(numbered(params), options);
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long step) {
        double lambda = options().weightDecay();
        Tensor g = grad;
        if (lambda != 0) {
            // g + lambda theta, into a scratch tensor: the gradient itself stays as backward left it
            g = param.zerosLike();
            InPlace.scalar(BinaryOp.MUL, param, (float) lambda, g);
            InPlace.binary(BinaryOp.ADD, grad, g, g);
        }
        adamStep(index, param, g, step);
    }
}
