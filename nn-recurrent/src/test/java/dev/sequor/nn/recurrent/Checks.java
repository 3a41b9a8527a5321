package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;
import dev.sequor.core.Grad;
import dev.sequor.nn.Module;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helpers: comparisons with tolerances and central finite differences of a scalar loss. */
final class Checks {

    static final Backend BE = Backends.get(System.getProperty("sequor.test.backend", "reference"));

    private Checks() {
    }

    static void close(float[] actual, float[] expected, double tol, String what) {
        assertThat(actual.length).as(what + " length").isEqualTo(expected.length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs(actual[i] - expected[i]) / Math.max(1.0, Math.abs(expected[i]));
            if (!(err <= worst)) {
                worst = err;
                at = i;
            }
        }
        assertThat(worst).as(what + ": worst relative error at " + at + " (actual "
                + (at >= 0 ? actual[at] : 0) + ", expected " + (at >= 0 ? expected[at] : 0) + ")").isLessThanOrEqualTo(tol);
    }

    /** A deterministic weighting so the loss sees every output element differently. */
    static Tensor weighted(Tensor y, long seed) {
        Tensor w = Tensor.uniform(y.backend(), -1f, 1f, Seed.of(seed), y.shape());
        return y.mul(w).sum();
    }

    /**
     * Compares the analytic gradient of {@code loss} with respect to each tensor in {@code wrt}
     * against central differences in double-accumulated float32 (step h).
     */
    static void finiteDifferences(Supplier<Tensor> loss, List<Tensor> wrt, double h, double tol) {
        for (Tensor p : wrt) {
            p.zeroGrad();
        }
        loss.get().backward();
        for (Tensor p : wrt) {
            float[] analytic = p.grad() == null ? new float[(int) p.numel()] : p.grad().toFloatArray();
            float[] v = p.toFloatArray();
            float[] numeric = new float[v.length];
            int stride = Math.max(1, v.length / 12);   // a spread of entries keeps the test fast
            float[] sampledA = new float[(v.length + stride - 1) / stride];
            float[] sampledN = new float[sampledA.length];
            for (int i = 0, s = 0; i < v.length; i += stride, s++) {
                float orig = v[i];
                v[i] = (float) (orig + h);
                p.assign(Tensor.of(p.backend(), v, p.shape()));
                double up;
                try (var g = Grad.disabled()) {
                    up = loss.get().item();
                }
                v[i] = (float) (orig - h);
                p.assign(Tensor.of(p.backend(), v, p.shape()));
                double down;
                try (var g = Grad.disabled()) {
                    down = loss.get().item();
                }
                v[i] = orig;
                p.assign(Tensor.of(p.backend(), v, p.shape()));
                numeric[i] = (float) ((up - down) / (2 * h));
                sampledA[s] = analytic[i];
                sampledN[s] = numeric[i];
            }
            close(sampledA, sampledN, tol, "finite differences of " + Arrays.toString(p.shape()));
        }
    }

    /** @return the parameter gradients by name, as arrays */
    static Map<String, float[]> grads(Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.namedParameters().forEach((k, v) -> out.put(k, v.grad() == null ? null : v.grad().toFloatArray()));
        return out;
    }

    /**
     * Runs two identically initialised layers, one through the fused kernels and one step by step,
     * from random initial states, and compares outputs, final states and every gradient.
     */
    static void fusedMatchesStepwise(RecurrentLayer fused, RecurrentLayer steps, int[] lengths) {
        int b = lengths == null ? 3 : lengths.length;
        int t = 5;
        int ld = fused.numLayers() * fused.numDirections();
        boolean cell = fused instanceof Lstm;
        Tensor[] x = new Tensor[2];
        Tensor[] h = new Tensor[2];
        Tensor[] c = new Tensor[2];
        RecurrentOutput[] r = new RecurrentOutput[2];
        RecurrentLayer[] layers = {fused, steps};
        for (int k = 0; k < 2; k++) {
            x[k] = Tensor.uniform(BE, -1f, 1f, Seed.of(11), b, t, fused.inputSize()).requiresGrad(true);
            h[k] = Tensor.uniform(BE, -1f, 1f, Seed.of(12), ld, b, fused.outputSize()).requiresGrad(true);
            c[k] = cell ? Tensor.uniform(BE, -1f, 1f, Seed.of(13), ld, b, fused.hiddenSize()).requiresGrad(true) : null;
            r[k] = layers[k].forward(x[k], new RecurrentState(h[k], c[k]), lengths);
            Tensor loss = weighted(r[k].output(), 1).add(weighted(r[k].hN(), 2));
            if (cell) {
                loss = loss.add(weighted(r[k].cN(), 3));
            }
            loss.backward();
        }
        close(r[0].output().toFloatArray(), r[1].output().toFloatArray(), 1e-5, "output");
        close(r[0].hN().toFloatArray(), r[1].hN().toFloatArray(), 1e-5, "h_n");
        close(x[0].grad().toFloatArray(), x[1].grad().toFloatArray(), 1e-5, "dx");
        close(h[0].grad().toFloatArray(), h[1].grad().toFloatArray(), 1e-5, "dh0");
        if (cell) {
            close(r[0].cN().toFloatArray(), r[1].cN().toFloatArray(), 1e-5, "c_n");
            close(c[0].grad().toFloatArray(), c[1].grad().toFloatArray(), 1e-5, "dc0");
        }
        Map<String, float[]> g1 = grads(fused);
        Map<String, float[]> g2 = grads(steps);
        assertThat(g1.keySet()).containsExactlyElementsOf(g2.keySet());
        g1.forEach((k, v) -> close(v, g2.get(k), 1e-5, "d" + k));
    }
}
