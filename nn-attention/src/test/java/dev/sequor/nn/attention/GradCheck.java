package dev.sequor.nn.attention;

import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;

import java.util.List;
import java.util.function.Supplier;

/**
 * Central finite differences in float32 against autograd: perturbs every element of every given
 * leaf by {@code +-eps}, and compares {@code (f(x+eps) - f(x-eps)) / 2 eps} with the analytic gradient.
 */
final class GradCheck {

    private GradCheck() {
    }

    /**
     * @param loss   recomputes a scalar from the leaves' current values
     * @param leaves tensors with requiresGrad set
     */
    static void check(Supplier<Tensor> loss, List<Tensor> leaves, float eps, double tol) {
        for (Tensor p : leaves) {
            p.zeroGrad();
        }
        loss.get().backward();
        for (int n = 0; n < leaves.size(); n++) {
            Tensor p = leaves.get(n);
            float[] analytic = p.grad() == null ? new float[(int) p.numel()] : p.grad().toFloatArray();
            float[] x = p.toFloatArray();
            float[] numeric = new float[x.length];
            try (Grad g = Grad.disabled()) {
                for (int i = 0; i < x.length; i++) {
                    float keep = x[i];
                    x[i] = keep + eps;
                    p.assign(Tensor.of(p.backend(), x, p.shape()));
                    double up = loss.get().item();
                    x[i] = keep - eps;
                    p.assign(Tensor.of(p.backend(), x, p.shape()));
                    double down = loss.get().item();
                    x[i] = keep;
                    p.assign(Tensor.of(p.backend(), x, p.shape()));
                    numeric[i] = (float) ((up - down) / (2 * eps));
                }
            }
            Golden.assertArrayClose("gradient of leaf " + n, numeric, analytic, tol);
        }
    }
}
