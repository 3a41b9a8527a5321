package dev.sequor.nn.attention;

import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** local-p against a dense double-precision implementation of Luong et al.'s equations, and its gradients. */
class LocalPredictiveAttentionTest {

    private final Backend be = Backends.get("reference");

    /** Dense local-p over all S keys, in double: returns {@code (B, L, Ev)} followed by the {@code (B, L, S)} weights. */
    private static double[][] dense(float[] q, float[] k, float[] v, float[] wP, float[] vP, int[] lengths,
                                    int b, int l, int s, int e, int ev, int hidden, int d) {
        double[] out = new double[b * l * ev];
        double[] weights = new double[b * l * s];
        double sigma = d / 2.0;
        for (int bb = 0; bb < b; bb++) {
            for (int i = 0; i < l; i++) {
                int qo = (bb * l + i) * e;
                double z = 0;
                for (int h = 0; h < hidden; h++) {
                    double acc = 0;
                    for (int c = 0; c < e; c++) {
                        acc += wP[h * e + c] * q[qo + c];
                    }
                    z += vP[h] * Math.tanh(acc);
                }
                double p = s / (1 + Math.exp(-z));
                int centre = (int) Math.floor(p);
                double[] score = new double[s];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s; j++) {
                    boolean visible = Math.abs(j - centre) <= d && (lengths == null || j < lengths[bb]);
                    double dot = 0;
                    for (int c = 0; c < e; c++) {
                        dot += q[qo + c] * k[(bb * s + j) * e + c];
                    }
                    score[j] = visible ? dot / Math.sqrt(e) : Double.NEGATIVE_INFINITY;
                    max = Math.max(max, score[j]);
                }
                double sum = 0;
                for (int j = 0; j < s; j++) {
                    sum += max == Double.NEGATIVE_INFINITY ? 0 : Math.exp(score[j] - max);
                }
                for (int j = 0; j < s; j++) {
                    double a = sum == 0 ? 0 : Math.exp(score[j] - max) / sum * Math.exp(-(j - p) * (j - p) / (2 * sigma * sigma));
                    weights[(bb * l + i) * s + j] = a;
                    for (int c = 0; c < ev; c++) {
                        out[(bb * l + i) * ev + c] += a * v[(bb * s + j) * ev + c];
                    }
                }
            }
        }
        return new double[][] {out, weights};
    }

    private static float[] floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    private void compareWithDense(int d, int[] lengths, long seed) {
        int b = 2;
        int l = 5;
        int s = 9;
        int e = 4;
        int ev = 3;
        int hidden = 6;
        try (Scope sc = Tensor.scope()) {
            LocalPredictiveAttention att = new LocalPredictiveAttention(be, e, hidden, d, Seed.of(seed));
            // a larger v_p spreads p_t over the whole sequence, so windows meet both edges
            Tensor vP = att.namedParameters().get("v_p");
            vP.assign(vP.mul(4f));
            Tensor q = Tensor.normal(be, 0, 2, Seed.of(seed + 1), b, l, e);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(seed + 2), b, s, e);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(seed + 3), b, s, ev);
            Mask pad = lengths == null ? null : Mask.keepLengths(be, lengths, s);
            AttentionOutput got = att.forward(q, k, v, pad, true);
            double[][] want = dense(q.toFloatArray(), k.toFloatArray(), v.toFloatArray(),
                    att.namedParameters().get("w_p").toFloatArray(), att.namedParameters().get("v_p").toFloatArray(),
                    lengths, b, l, s, e, ev, hidden, d);
            String what = "D=" + d + (lengths == null ? "" : " lengths");
            assertThat(got.output().shape()).containsExactly(b, l, ev);
            Golden.assertArrayClose("output, " + what, floats(want[0]), got.output().toFloatArray(), 1e-5);
            Golden.assertArrayClose("weights, " + what, floats(want[1]), got.weights().toFloatArray(), 1e-5);
            float[] p = att.positions(q, s).toFloatArray();
            boolean low = false;
            boolean high = false;
            for (float x : p) {
                low |= x < d;
                high |= x >= s - d;
            }
            assertThat(low && high).as("some window crosses each edge, p = %s", Arrays.toString(p)).isTrue();
        }
    }

    @Test
    void equalsADenseImplementationOfTheEquations() {
        compareWithDense(1, null, 10);
        compareWithDense(2, null, 20);
        compareWithDense(2, new int[] {9, 4}, 20);
        // lengths 0: every window of sequence 1 is padded away, its outputs are zero
        compareWithDense(3, new int[] {6, 0}, 30);
    }

    @Test
    void gradientsReachThePredictionParametersThroughTheGaussian() {
        int s = 8;
        try (Scope sc = Tensor.scope()) {
            // the window centre floor(p_t) is piecewise constant: finite differences are valid only where no
            // p_t is near an integer, so take the first seed (deterministically) whose p_t all stay clear
            long seed = 40;
            while (!clearOfIntegers(new LocalPredictiveAttention(be, 3, 4, 2, Seed.of(seed)), query(seed), s)) {
                seed++;
                assertThat(seed).as("a seed with every p_t clear of integers").isLessThan(140);
            }
            LocalPredictiveAttention att = new LocalPredictiveAttention(be, 3, 4, 2, Seed.of(seed));
            Tensor q = query(seed).requiresGrad(true);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(43), 2, s, 3).requiresGrad(true);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(44), 2, s, 2).requiresGrad(true);
            Tensor g = Tensor.normal(be, 0, 1, Seed.of(45), 2, 3, 2);
            Mask pad = Mask.keepLengths(be, new int[] {8, 6}, s);
            Tensor wP = att.namedParameters().get("w_p");
            Tensor vP = att.namedParameters().get("v_p");
            att.forward(q, k, v, pad, false).output().mul(g).sum().backward();
            assertThat(max(wP.grad().toFloatArray())).as("w_p receives a gradient").isGreaterThan(1e-3f);
            assertThat(max(vP.grad().toFloatArray())).as("v_p receives a gradient").isGreaterThan(1e-3f);
            GradCheck.check(() -> att.forward(q, k, v, pad, false).output().mul(g).sum(), List.of(wP, vP, q, k, v),
                    1e-3f, 5e-3);
        }
    }

    private Tensor query(long seed) {
        return Tensor.normal(be, 0, 1.5f, Seed.of(seed + 1000), 2, 3, 3);
    }

    private static boolean clearOfIntegers(LocalPredictiveAttention att, Tensor q, int s) {
        for (float p : att.positions(q, s).toFloatArray()) {
            double frac = p - Math.floor(p);
            if (Math.min(frac, 1 - frac) < 0.05) {
                return false;
            }
        }
        return true;
    }

    private static float max(float[] x) {
        float m = 0;
        for (float f : x) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }
}
