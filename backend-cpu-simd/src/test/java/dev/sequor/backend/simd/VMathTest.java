package dev.sequor.backend.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link VMath}: each vector function equals its scalar twin bit for bit on every lane (so where a
 * row's vector loop ends cannot change a result), is close to the double-precision function, and
 * keeps the special values (NaN, infinities, zeros, subnormals).
 */
class VMathTest {

    private static final int L = VMath.S.length();

    private interface Twin {
        float scalar(float x);
    }

    private static float[] points(long seed) {
        Random r = new Random(seed);
        float[] x = new float[L * 4096];
        for (int i = 0; i < x.length; i++) {
            // Mostly within the interesting range, some wide, some tiny.
            x[i] = switch (i % 4) {
                case 0 -> (float) (r.nextGaussian() * 3);
                case 1 -> (float) ((r.nextDouble() * 2 - 1) * 100);
                case 2 -> (float) ((r.nextDouble() * 2 - 1) * 0.7);
                default -> (float) (r.nextGaussian() * 1e-3);
            };
        }
        return x;
    }

    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-40f, Float.MAX_VALUE, -Float.MAX_VALUE, 88.7f, 88.73f,
        -87.3f, -103.9f, -104.5f, 0.625f, -0.625f, 0.62499994f, 1f, -1f, 9f, -9f, 0.5f};

    private static void check(String name, UnaryOperator<FloatVector> vec, Twin scalar, DoubleUnaryOperator exact,
                              boolean positiveOnly, double maxUlp, double absFloor) {
        float[] x = points(name.hashCode());
        if (positiveOnly) {
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.abs(x[i]) * (i % 7 == 0 ? 1e4f : 1f);
            }
        }
        float[] all = new float[x.length + SPECIAL.length + L];
        System.arraycopy(x, 0, all, 0, x.length);
        System.arraycopy(SPECIAL, 0, all, x.length, SPECIAL.length);
        int bound = VMath.S.loopBound(all.length);
        float[] got = new float[bound];
        for (int i = 0; i < bound; i += L) {
            vec.apply(FloatVector.fromArray(VMath.S, all, i)).intoArray(got, i);
        }
        double worst = 0;
        for (int i = 0; i < bound; i++) {
            float s = scalar.scalar(all[i]);
            assertThat(Float.floatToIntBits(got[i])).as("%s(%s): lane %s, scalar twin %s", name, all[i], got[i], s)
                    .isEqualTo(Float.floatToIntBits(s));
            double want = exact.applyAsDouble(all[i]);
            if (Double.isNaN(want) || Double.isInfinite(want) || Math.abs(want) > Float.MAX_VALUE) {
                assertThat(Float.valueOf(got[i])).as("%s(%s)", name, all[i]).isEqualTo(Float.valueOf((float) want));
                continue;
            }
            double err = Math.abs(got[i] - want);
            if (err > absFloor) {
                worst = Math.max(worst, err / Math.ulp((float) want));
            }
        }
        assertThat(worst).as("%s: worst error in ulp", name).isLessThanOrEqualTo(maxUlp);
    }

    @Test
    void expMatchesItsTwinAndDouble() {
        check("exp", VMath::exp, VMath::exp, Math::exp, false, 2, 1e-38);
    }

    @Test
    void logMatchesItsTwinAndDouble() {
        check("log", VMath::log, VMath::log, v -> v < 0 ? Double.NaN : Math.log(v), true, 2, 0);
    }

    @Test
    void tanhMatchesItsTwinAndDouble() {
        check("tanh", VMath::tanh, VMath::tanh, Math::tanh, false, 3, 1e-7);
    }

    @Test
    void sigmoidMatchesItsTwinAndDouble() {
        check("sigmoid", VMath::sigmoid, VMath::sigmoid, v -> 1 / (1 + Math.exp(-v)), false, 3, 1e-38);
    }

    private interface Run {
        void apply(float[] x, int xo, float[] y, int yo, int n);
    }

    /**
     * The whole-run forms give their scalar twin's bits at every position, from offsets that put
     * vector boundaries anywhere, in place and out of place, with tails of every length.
     */
    @Test
    void wholeRunFormsMatchTheScalarTwins() {
        Run[] runs = {VMath::exp, VMath::tanh, VMath::sigmoid};
        Twin[] twins = {VMath::exp, VMath::tanh, VMath::sigmoid};
        float[] x = points(11);
        System.arraycopy(SPECIAL, 0, x, 0, SPECIAL.length);
        for (int k = 0; k < runs.length; k++) {
            for (int off = 0; off < L + 2; off += 3) {
                for (int n : new int[] {0, 1, L - 1, L, 3 * L + 5, 1000}) {
                    float[] y = new float[off + n + 1];
                    y[off + n] = 42f;
                    runs[k].apply(x, off, y, off, n);
                    float[] inPlace = x.clone();
                    runs[k].apply(inPlace, off, inPlace, off, n);
                    for (int i = 0; i < n; i++) {
                        int want = Float.floatToIntBits(twins[k].scalar(x[off + i]));
                        assertThat(Float.floatToIntBits(y[off + i])).as("fn %s at %s of %s", k, i, n).isEqualTo(want);
                        assertThat(Float.floatToIntBits(inPlace[off + i])).as("in place").isEqualTo(want);
                    }
                    assertThat(y[off + n]).as("past the run").isEqualTo(42f);
                    assertThat(inPlace[off + n]).isEqualTo(x[off + n]);
                }
            }
        }
    }

    @Test
    void laneSumsAreOneFixedTree() {
        float[] v = new float[L];
        for (int i = 0; i < L; i++) {
            v[i] = (float) Math.scalb(1.0 + i / 7.0, (i * 11) % 40 - 20);
        }
        float[] t = v.clone();
        for (int w = L / 2; w >= 1; w /= 2) {
            for (int i = 0; i < w; i++) {
                t[i] = t[i] + t[i + w];
            }
        }
        assertThat(VMath.sum(FloatVector.fromArray(VMath.S, v, 0))).isEqualTo(t[0]);
        int dl = VMath.D.length();
        double[] d = new double[dl];
        for (int i = 0; i < dl; i++) {
            d[i] = Math.scalb(1.0 + i / 3.0, i * 17 % 60 - 30);
        }
        double[] dt = d.clone();
        for (int w = dl / 2; w >= 1; w /= 2) {
            for (int i = 0; i < w; i++) {
                dt[i] = dt[i] + dt[i + w];
            }
        }
        assertThat(VMath.sum(DoubleVector.fromArray(VMath.D, d, 0))).isEqualTo(dt[0]);
    }
}
