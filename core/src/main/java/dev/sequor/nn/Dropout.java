package dev.sequor.nn;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;

/**
 * Inverted dropout (Srivastava et al., 2014) as a module: in training, {@code y = x * m / (1 - p)}
 * with {@code m ~ Bernoulli(1 - p)}; in {@link #eval()} mode, {@code y = x}. The module owns a seed
 * and a step counter, so each call draws a fresh mask and a run is reproducible from the seed.
 */
public class Dropout extends Module implements Layer {

    private final float p;
    private final Seed seed;
    private long step;

    /** @param p the probability of zeroing an element, in {@code [0, 1]} */
    public Dropout(float p, Seed seed) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("Dropout: probability must be in [0, 1], got " + p);
        }
        this.p = p;
        this.seed = seed;
    }

    /** @param x any shape @return {@code x}'s shape */
    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0f) {
            return x;
        }
        return Functional.dropout(x, p, true, Seed.of(Functional.stepSeed(seed.value(), step++)));
    }

    /** @return the drop probability */
    public float p() {
        return p;
    }

    /** @return how many masks have been drawn */
    public long step() {
        return step;
    }

    /** Sets the step counter, e.g. to resume a run exactly. */
    public void step(long value) {
        step = value;
    }
}
