package dev.sequor.core;

import dev.sequor.spi.Backend;

import java.util.SplittableRandom;

/** Deterministic test inputs with the properties a finite-difference check needs. */
final class Inputs {

    private Inputs() {
    }

    /** Uniform draws in {@code [lo, hi)}. */
    static Tensor uniform(Backend be, double lo, double hi, long seed, int... shape) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[Shapes.toInt(Shapes.numel(shape), "uniform")];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return shaped(be, v, shape);
    }

    /** Values with {@code 0.1 <= |x| <= 1.5}: at least 0.1 from the kink of abs, relu and sign. */
    static Tensor awayFromZero(Backend be, long seed, int... shape) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[Shapes.toInt(Shapes.numel(shape), "awayFromZero")];
        for (int i = 0; i < v.length; i++) {
            double m = 0.1 + 1.4 * rnd.nextDouble();
            v[i] = (float) (rnd.nextBoolean() ? m : -m);
        }
        return shaped(be, v, shape);
    }

    /**
     * Values {@code 0.3 k + offset} for random integers k in [-4, 4]: two grids with offsets that
     * differ by 0.15 never come closer than 0.15, so max/min never tie within a finite-difference step.
     */
    static Tensor grid(Backend be, double offset, long seed, int... shape) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[Shapes.toInt(Shapes.numel(shape), "grid")];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.3 * rnd.nextInt(-4, 5) + offset);
        }
        return shaped(be, v, shape);
    }

    /** A random permutation of {@code 0.1 * [0, n)}: distinct values 0.1 apart (no ties for max/min). */
    static Tensor distinct(Backend be, long seed, int... shape) {
        int n = Shapes.toInt(Shapes.numel(shape), "distinct");
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (0.1 * i - 0.05 * n);
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return shaped(be, v, shape);
    }

    /** Exact integer indices in {@code [0, bound)} as floats. */
    static Tensor indices(Backend be, float[] values, int... shape) {
        return shaped(be, values, shape);
    }

    static Tensor shaped(Backend be, float[] v, int... shape) {
        return Tensor.of(be, v, v.length).reshape(shape);
    }
}
