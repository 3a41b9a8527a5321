package dev.sequor.core;

import dev.sequor.spi.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Checks a function's reverse-mode gradient against finite differences.
 *
 * <p>The function {@code f} maps the inputs to a tensor {@code y} of any shape; the checked scalar is
 * {@code L = sum_i r_i y_i} with fixed pseudo-random weights {@code r} in [-1, 1] (so a wrong sign or
 * a swapped element cannot hide behind a uniform upstream gradient). The analytic gradient comes
 * from {@code y.backward(r)}. The numeric one uses the five-point stencil
 * {@code dL/dx ~ (-L(x+2h) + 8L(x+h) - 8L(x-h) + L(x-2h)) / 12h}, whose truncation error is
 * {@code O(h^4)}: with {@code h = 1e-2} that is about {@code 1e-8 |L^(5)|}, far below float32
 * rounding. The forward runs in float32 (the only precision Sequor has) but {@code L} is summed in
 * double from the downloaded outputs, so outputs that do not depend on the perturbed element cancel
 * exactly; what remains is the rounding of the outputs that do, about {@code 6e-8 |y| * 1.5 / h},
 * i.e. {@code ~1e-5 |y|}. The default tolerance {@code |a - n| <= atol + rtol max(|a|, |n|)} with
 * {@code atol = rtol = 5e-4} is well above that noise (every check in this suite also passes at
 * {@code 1e-4}) and far below any real gradient bug.
 *
 * <p>Piecewise functions (abs, relu, max, clamp) must be checked at inputs at least {@code 2h} from
 * their kinks; the tests choose such inputs.
 */
final class GradCheck {

    private final Backend be;
    private double h = 1e-2;
    private double atol = 5e-4;
    private double rtol = 5e-4;
    private long seed = 7;

    private GradCheck(Backend be) {
        this.be = be;
    }

    static GradCheck on(Backend be) {
        return new GradCheck(be);
    }

    GradCheck step(double value) {
        this.h = value;
        return this;
    }

    GradCheck tolerance(double absolute, double relative) {
        this.atol = absolute;
        this.rtol = relative;
        return this;
    }

    GradCheck seed(long value) {
        this.seed = value;
        return this;
    }

    /** Checks {@code f} with one differentiable input. */
    void check(String name, Function<Tensor, Tensor> f, Tensor x) {
        checkAll(name, xs -> f.apply(xs.get(0)), x);
    }

    /** Checks {@code f} with two differentiable inputs. */
    void check(String name, BiFunction<Tensor, Tensor, Tensor> f, Tensor a, Tensor b) {
        checkAll(name, xs -> f.apply(xs.get(0), xs.get(1)), a, b);
    }

    /**
     * Checks the gradient of {@code f} with respect to every input (all differentiable; capture
     * constants such as indices in the lambda). The inputs' values are read, never changed.
     */
    void checkAll(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        float[][] values = new float[inputs.length][];
        int[][] shapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            values[i] = inputs[i].toFloatArray();
            shapes[i] = inputs[i].shape();
        }
        float[][] analytic;
        double[] weights;
        try (Scope s = Tensor.scope()) {
            List<Tensor> leaves = leaves(values, shapes, true);
            Tensor y = f.apply(leaves);
            assertThat(y.requiresGrad()).as("%s: output requires grad", name).isTrue();
            weights = weights(Shapes.toInt(y.numel(), name));
            float[] r = new float[weights.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) weights[i];
            }
            y.backward(Tensor.of(be, r, r.length).reshape(y.shape()));
            analytic = new float[inputs.length][];
            for (int i = 0; i < inputs.length; i++) {
                Tensor g = leaves.get(i).grad();
                analytic[i] = g == null ? new float[values[i].length] : g.toFloatArray();
                if (g != null) {
                    assertThat(g.shape()).as("%s: gradient shape of input %d", name, i).containsExactly(shapes[i]);
                }
                leaves.get(i).zeroGrad();
            }
        }
        for (int i = 0; i < inputs.length; i++) {
            for (int e = 0; e < values[i].length; e++) {
                double numeric = numeric(f, values, shapes, weights, i, e);
                double a = analytic[i][e];
                double err = Math.abs(a - numeric);
                if (!(err <= atol + rtol * Math.max(Math.abs(a), Math.abs(numeric)))) {
                    fail("%s: d/d input %d element %d: analytic %.7g, numeric %.7g (difference %.3g)",
                            name, i, e, a, numeric, err);
                }
            }
        }
    }

    private double numeric(Function<List<Tensor>, Tensor> f, float[][] values, int[][] shapes, double[] w,
                           int input, int element) {
        float original = values[input][element];
        double[] offsets = {2 * h, h, -h, -2 * h};
        double[] coeff = {-1, 8, -8, 1};
        double sum = 0;
        try {
            for (int k = 0; k < offsets.length; k++) {
                // rounding x+h to float moves the step by at most ulp(x)/2: ~3e-6 relative for |x| < 1
                values[input][element] = (float) (original + offsets[k]);
                sum += coeff[k] * loss(f, values, shapes, w);
            }
        } finally {
            values[input][element] = original;
        }
        return sum / (12 * h);
    }

    private double loss(Function<List<Tensor>, Tensor> f, float[][] values, int[][] shapes, double[] w) {
        try (Scope s = Tensor.scope(); Grad g = Grad.disabled()) {
            float[] y = f.apply(leaves(values, shapes, false)).toFloatArray();
            double l = 0;
            for (int i = 0; i < y.length; i++) {
                l += w[i] * y[i];
            }
            return l;
        }
    }

    private List<Tensor> leaves(float[][] values, int[][] shapes, boolean requiresGrad) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(Tensor.of(be, values[i], values[i].length).reshape(shapes[i]).detach().requiresGrad(requiresGrad));
        }
        return out;
    }

    private double[] weights(int n) {
        double[] w = new double[n];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            // in [-1, -0.25] u [0.25, 1]: no weight so small that an element's error would vanish
            double v = 0.25 + 0.75 * rnd.nextDouble();
            w[i] = rnd.nextBoolean() ? v : -v;
        }
        return w;
    }
}
