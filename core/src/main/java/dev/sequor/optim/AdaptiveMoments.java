package dev.sequor.optim;

import dev.sequor.core.Tensor;

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

    private final AdamOptions options;

    AdaptiveMoments(Map<String, Tensor> params, AdamOptions options) {
        super(params, options.lr());
        this.options = options;
    }

    /** @return the hyperparameters (the learning rate in force is {@link #lr()}) */
    public AdamOptions options() {
        return options;
    }

    @Override
    protected Set<String> bufferNames() {
        return Set.of(EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ);
    }

    /** The update from {@code m, v} on, given the gradient {@code g} (L2 already added for Adam). */
    final void adamStep(int index, Tensor param, Tensor g, long step) {
        double beta1 = options.beta1();
        double beta2 = options.beta2();
        Tensor m = buffer(index, EXP_AVG);
        Tensor v = buffer(index, EXP_AVG_SQ);
        if (m == null) {
            m = createBuffer(index, EXP_AVG, param.zerosLike());
            v = createBuffer(index, EXP_AVG_SQ, param.zerosLike());
        }
        m.mulInPlace((float) beta1).addInPlace(g, (float) (1 - beta1));
        v.mulInPlace((float) beta2).addInPlace(g.square(), (float) (1 - beta2));
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = lr() / biasCorrection1;
        Tensor second = v;
        if (options.amsgrad()) {
            Tensor vMax = buffer(index, MAX_EXP_AVG_SQ);
            if (vMax == null) {
                vMax = createBuffer(index, MAX_EXP_AVG_SQ, param.zerosLike());
            }
            second = vMax.assign(vMax.maximum(v));
        }
        // a true division by sqrt(1 - beta2^t), as PyTorch, not a multiplication by its reciprocal
        Tensor denom = second.sqrt().div(Tensor.scalar(param.backend(), (float) Math.sqrt(biasCorrection2)))
                .add((float) options.eps());
        param.addInPlace(m.div(denom), (float) -stepSize);
    }
}
