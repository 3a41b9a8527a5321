package dev.sequor.nn;

import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.spi.CounterRng;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finite-difference check of the tape's gradients. The scalar objective is
 * {@code L = sum_i w_i y_i} with fixed pseudo-random weights {@code w}, evaluated in double on the
 * host from the float32 output, so the only float32 noise is the rounding of {@code y} itself. The
 * analytic gradient {@code dL/dx} is {@code y.backward(w)}; the numeric one is the central difference
 * {@code (L(x + h e_i) - L(x - h e_i)) / 2h} for every element of every input.
 */
final class GradCheck {

    private double h = 1e-2;
    private double atol = 1e-3;
    private double rtol = 1e-2;

    private GradCheck() {
    }

    /** @return a check with step 1e-2 and tolerance {@code |a - n| <= 1e-3 + 1e-2 |n|} */
    static GradCheck create() {
        return new GradCheck();
    }

    GradCheck step(double value) {
        h = value;
        return this;
    }

    GradCheck tolerance(double absolute, double relative) {
        atol = absolute;
        rtol = relative;
        return this;
    }

    /**
     * Checks the gradient of {@code f} with respect to every input that requires a gradient.
     * {@code f} must be deterministic (no fresh dropout masks between calls).
     */
    void check(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor in : inputs) {
            in.zeroGrad();
        }
        Tensor y = f.apply(inputs);
        float[] w = weights(y.numel());
        y.backward(make(y, w));
        for (int k = 0; k < inputs.length; k++) {
            Tensor in = inputs[k];
            if (!in.requiresGrad()) {
                continue;
            }
            float[] analytic = in.grad() == null ? new float[(int) in.numel()] : in.grad().toFloatArray();
            float[] x = in.toFloatArray();
            for (int i = 0; i < x.length; i++) {
                float up = (float) (x[i] + h);
                float down = (float) (x[i] - h);
                double numeric = (objective(f, inputs, k, x, i, up, w) - objective(f, inputs, k, x, i, down, w))
                        / ((double) up - down);
                if (!(Math.abs(analytic[i] - numeric) <= atol + rtol * Math.abs(numeric))) {
                    fail(what + ": gradient of input " + k + " element " + i + ": analytic " + analytic[i]
                            + " vs finite difference " + numeric);
                }
            }
            in.assign(make(in, x));
            in.zeroGrad();
        }
    }

    private static double objective(Function<Tensor[], Tensor> f, Tensor[] inputs, int k, float[] x, int i,
                                    float value, float[] w) {
        float[] moved = x.clone();
        moved[i] = value;
        inputs[k].assign(make(inputs[k], moved));
        float[] y;
        try (Grad g = Grad.disabled()) {
            y = f.apply(inputs).toFloatArray();
        }
        inputs[k].assign(make(inputs[k], x));
        double sum = 0;
        for (int j = 0; j < y.length; j++) {
            sum += (double) w[j] * y[j];
        }
        return sum;
    }

    /** @return {@code data} shaped like {@code like}, rank 0 included ({@code Tensor.of} makes rank 1 of no shape) */
    private static Tensor make(Tensor like, float[] data) {
        return like.rank() == 0 ? Tensor.scalar(like.backend(), data[0]) : Tensor.of(like.backend(), data, like.shape());
    }

    /** Fixed weights in [-1, 1), so every output element matters and symmetric errors do not cancel. */
    private static float[] weights(long n) {
        float[] w = new float[(int) n];
        for (int i = 0; i < w.length; i++) {
            w[i] = 2 * CounterRng.uniform(12345, i) - 1;
        }
        return w;
    }
}
