package dev.sequor.optim;

import dev.sequor.core.Grad;
import dev.sequor.core.InPlace;
import dev.sequor.core.Tensor;
import dev.sequor.spi.BinaryOp;

import java.util.Collection;

/**
 * Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}. Both act
 * in place on the gradients of the given parameters; parameters without a gradient are ignored.
 */
public final class Clip {

    private Clip() {
    }

    /**
     * Scales all gradients together so that their joint norm is at most {@code maxNorm}:
     * {@code ||g|| = (sum_i ||g_i||_p^p)^(1/p)} over the parameters' gradients (for {@code p = inf},
     * {@code max_i max |g_i|}), then every gradient is multiplied by
     * {@code min(1, maxNorm / (||g|| + 1e-6))}. A NaN or infinite norm is returned as it is and
     * spreads into the gradients, as in PyTorch (its default {@code error_if_nonfinite=False}).
     *
     * @param normType {@code p} &gt; 0: 2 for the Euclidean norm, {@link Double#POSITIVE_INFINITY} for the maximum
     * @return the total norm before clipping (0 when no parameter has a gradient)
     */
    public static double clipGradNorm(Collection<Tensor> params, double maxNorm, double normType) {
        if (!(normType > 0)) {
            throw new IllegalArgumentException("clipGradNorm: norm type must be > 0 (2, or infinity), got " + normType);
        }
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clipGradNorm: maxNorm must be >= 0, got " + maxNorm);
        }
        boolean inf = Double.isInfinite(normType);
        double acc = 0;
        boolean any = false;
        try (Grad g = Grad.disabled(); var s = Tensor.scope()) {
            for (Tensor p : params) {
                Tensor grad = p.grad();
                if (grad == null || grad.numel() == 0) {
                    any |= grad != null;
                    continue;
                }
                any = true;
                // each gradient's norm is rounded to float, as torch.norm of a float32 tensor is
                float n = norm(grad, normType);
                acc = inf ? (Float.isNaN(n) ? Double.NaN : Math.max(acc, n)) : acc + Math.pow(n, normType);
            }
        }
        if (!any) {
            return 0;
        }
        float total = (float) (inf ? acc : Math.pow(acc, 1 / normType));
        float coef = Math.min((float) maxNorm / (total + 1e-6f), 1f);
        if (Float.isNaN(total)) {
            coef = Float.NaN; // torch.clamp(NaN, max=1) stays NaN
        }
        for (Tensor p : params) {
            Tensor grad = p.grad();
            if (grad != null) {
                grad.mulInPlace(coef);
            }
        }
        return total;
    }

    /** {@code ||g||_p} of one gradient in float32. */
    private static float norm(Tensor g, double p) {
        Tensor flat = g.reshape(-1);
        if (Double.isInfinite(p)) {
            return flat.abs().max(0, false).item();
        }
        if (p == 2) {
            return (float) Math.sqrt(flat.square().sum().item());
        }
        if (p == 1) {
            return flat.abs().sum().item();
        }
        return (float) Math.pow(flat.abs().pow((float) p).sum().item(), 1 / p);
    }

    /**
     * Clamps every gradient element to {@code [-value, value]} in place.
     *
     * @param value the bound, &gt;= 0
     */
    public static void clipGradValue(Collection<Tensor> params, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException("clipGradValue: value must be >= 0, got " + value);
        }
        for (Tensor p : params) {
            Tensor grad = p.grad();
            if (grad == null) {
                continue;
            }
            // max then min on the gradient itself: no temporary
            InPlace.scalar(BinaryOp.MAX, grad, (float) -value, grad);
            InPlace.scalar(BinaryOp.MIN, grad, (float) value, grad);
        }
    }
}
