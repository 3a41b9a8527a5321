package dev.sequor.optim;

import dev.sequor.core.InPlace;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.BinaryOp;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with momentum, exactly {@code torch.optim.SGD}'s rule. With gradient
 * {@code g_t}, weight decay {@code lambda}, momentum {@code mu}, dampening {@code tau} and learning
 * rate {@code gamma}:
 * <pre>
 *   g_t &lt;- g_t + lambda theta_{t-1}                       (if lambda != 0)
 *   b_t  = g_t                                              (first step)
 *   b_t  = mu b_{t-1} + (1 - tau) g_t                       (later steps)
 *   g_t &lt;- g_t + mu b_t  (Nesterov)   or   g_t &lt;- b_t     (if mu != 0)
 *   theta_t = theta_{t-1} - gamma g_t
 * </pre>
 * The momentum buffer {@code b} is saved as {@code <param>.momentum_buffer}, PyTorch's name.
 */
public final class Sgd extends Optimizer {

    private static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final SgdConfig options;

    /** SGD over a module's parameters (state keyed by their dotted names). */
    public Sgd(Module module, SgdConfig options) {
        this(module.namedParameters(), options);
    }

    /** SGD over named parameters. */
    public Sgd(Map<String, Tensor> params, SgdConfig options) {
        super(params, options.lr());
        this.options = options;
    }

    /** SGD over a list of parameters (state keyed {@code "0"}, {@code "1"}, ...). */
    public Sgd(List<Tensor> params, SgdConfig options) {
        this(numbered(params), options);
    }

    /** @return the hyperparameters (the learning rate in force is {@link #lr()}) */
    public SgdConfig options() {
        return options;
    }

    @Override
    protected Set<String> bufferNames() {
        return Set.of(MOMENTUM_BUFFER);
    }

    /** @return the momentum buffer when momentum is on, else none */
    @Override
    protected Set<String> requiredBufferNames() {
        return options.momentum() != 0 ? Set.of(MOMENTUM_BUFFER) : Set.of();
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long step) {
        float mu = (float) options.momentum();
        Tensor t = param.zerosLike(); // the one scratch tensor of a step (two with weight decay)
        Tensor d = grad;
        if (options.weightDecay() != 0) {
            d = param.zerosLike();
            InPlace.scalar(BinaryOp.MUL, param, (float) options.weightDecay(), d);
            InPlace.binary(BinaryOp.ADD, grad, d, d);
        }
        if (mu != 0) {
            Tensor buf = buffer(index, MOMENTUM_BUFFER);
            if (buf == null) {
                buf = createBuffer(index, MOMENTUM_BUFFER, d);
            } else {
                InPlace.scalar(BinaryOp.MUL, buf, mu, buf);
                InPlace.scalar(BinaryOp.MUL, d, (float) (1 - options.dampening()), t);
                InPlace.binary(BinaryOp.ADD, buf, t, buf);
            }
            if (options.nesterov()) {
                InPlace.scalar(BinaryOp.MUL, buf, mu, t);
                InPlace.binary(BinaryOp.ADD, d, t, t);
                d = t;
            } else {
                d = buf;
            }
        }
        InPlace.scalar(BinaryOp.MUL, d, (float) -lr(), t);
        InPlace.binary(BinaryOp.ADD, param, t, param);
    }
}
