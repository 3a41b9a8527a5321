package dev.sequor.optim;

import dev.sequor.core.InPlace;
import dev.sequor.core.Tensor;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.UnaryOp;

import java.util.Map;
import java.util.Set;

/**
 * The moment updates Adam and AdamW share (Kingma and Ba, 2015, Algorithm 1), in PyTorch's
 * single-tensor form and operation order:
 * <pre>
 *   m_t = beta1 m_{t-1} + (1 - beta1) g_t
 *   v_t = beta2 v_{t-1} + (1 - beta2) g_t^2
 *   v_max = max(v_max, v_t)                                   (AMSGrad, used for v_t below)
 *   theta_t = theta - gamma / (1 - beta1^t) * m_t / (sqrt(v_t) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * Buffers are saved under PyTorch's names {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq}.
 */
abstract sealed class AdaptiveMoments extends Optimizer permits Adam, AdamW {

    static final String EXP_AVG = "exp_avg";
    static final String EXP_AVG_SQ = "exp_avg_sq";
    static final String MAX_EXP_AVG_SQ = "max_exp_avg_sq";

    private final AdamConfig options;

    AdaptiveMoments(Map<String, Tensor> params, AdamConfig options) {
        super(params, options.lr());
        this.options = options;
    }

    /** @return the hyperparameters (the learning rate in force is {@link #lr()}) */
    public AdamConfig options() {
        return options;
    }

    @Override
    protected Set<String> bufferNames() {
        return Set.of(EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ);
    }

    /** @return both moments, and the running maximum under AMSGrad */
    @Override
    protected Set<String> requiredBufferNames() {
        return options.amsgrad() ? Set.of(EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ) : Set.of(EXP_AVG, EXP_AVG_SQ);
    }

    /**
     * The update from {@code m, v} on, given the gradient {@code g} (L2 already added for Adam), in
     * PyTorch's operation order; one scratch tensor is the only allocation.
     */
    final void adamStep(int index, Tensor param, Tensor g, long step) {
        double beta1 = options.beta1();
        double beta2 = options.beta2();
        Tensor m = buffer(index, EXP_AVG);
        Tensor v = buffer(index, EXP_AVG_SQ);
        if (m == null) {
            m = createBuffer(index, EXP_AVG, param.zerosLike());
            v = createBuffer(index, EXP_AVG_SQ, param.zerosLike());
        }
        Tensor t = param.zerosLike();
        // m = beta1 m + (1 - beta1) g
        InPlace.scalar(BinaryOp.MUL, m, (float) beta1, m);
        InPlace.scalar(BinaryOp.MUL, g, (float) (1 - beta1), t);
        InPlace.binary(BinaryOp.ADD, m, t, m);
        // v = beta2 v + ((1 - beta2) g) g, as addcmul_
        InPlace.scalar(BinaryOp.MUL, v, (float) beta2, v);
        InPlace.scalar(BinaryOp.MUL, g, (float) (1 - beta2), t);
        InPlace.binary(BinaryOp.MUL, t, g, t);
        InPlace.binary(BinaryOp.ADD, v, t, v);
        Tensor second = v;
        if (options.amsgrad()) {
            Tensor vMax = buffer(index, MAX_EXP_AVG_SQ);
            if (vMax == null) {
                vMax = createBuffer(index, MAX_EXP_AVG_SQ, param.zerosLike());
            }
            InPlace.binary(BinaryOp.MAX, vMax, v, vMax);
            second = vMax;
        }
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = lr() / biasCorrection1;
        // denominator sqrt(v) / sqrt(1 - beta2^t) + eps: a true division, as PyTorch
        InPlace.unary(UnaryOp.SQRT, second, t);
        InPlace.scalar(BinaryOp.DIV, t, (float) Math.sqrt(biasCorrection2), t);
        InPlace.scalar(BinaryOp.ADD, t, (float) options.eps(), t);
        // theta += -stepSize * (m / denominator), as addcdiv_
        InPlace.binary(BinaryOp.DIV, m, t, t);
        InPlace.scalar(BinaryOp.MUL, t, (float) -stepSize, t);
        InPlace.binary(BinaryOp.ADD, param, t, param);
    }
}
