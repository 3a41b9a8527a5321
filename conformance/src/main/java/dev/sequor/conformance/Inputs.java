package dev.sequor.conformance;

import java.util.SplittableRandom;

/** Reproducible test inputs: every array comes from a fixed seed, so a failure replays exactly. */
public final class Inputs {

    private Inputs() {
    }

    /** @return {@code n} floats uniform in {@code [lo, hi)} from {@code seed} */
    public static float[] uniform(long seed, int n, float lo, float hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (lo + (hi - (double) lo) * r.nextDouble());
        }
        return x;
    }

    /** @return {@code n} integers in {@code [0, bound)} stored as floats, as index inputs are */
    public static float[] indices(long seed, int n, int bound) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(bound);
        }
        return x;
    }

    /** @return {@code n} small integers in {@code [-range, range]}, so comparisons meet equal values */
    public static float[] smallIntegers(long seed, int n, int range) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(2 * range + 1) - range;
        }
        return x;
    }
}
