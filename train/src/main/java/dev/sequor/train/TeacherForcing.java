package dev.sequor.train;

import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;

import java.util.SplittableRandom;

/**
 * Teacher forcing and scheduled sampling (Bengio et al. 2015) for sequence-to-sequence training: a
 * schedule {@code eps(step)} gives the probability that the decoder is fed the true previous token; with
 * probability {@code 1 - eps} it is fed a token drawn from its own prediction. The loop hands
 * {@code eps(step)} to the forward pass as {@link StepInfo#teacherProb()}; {@link #choose} and
 * {@link #sample} are the per-step mixing a step-by-step decoder does with it.
 */
@FunctionalInterface
public interface TeacherForcing {

    /** @return {@code eps} for training step {@code step} (0-based), in {@code [0, 1]} */
    double probability(int step);

    /** @return plain teacher forcing, {@code eps = 1} */
    static TeacherForcing always() {
        return step -> 1.0;
    }

    /** @return Bengio et al.'s inverse sigmoid decay, {@code eps_i = k / (k + exp(i / k))}, {@code k > 0} */
    static TeacherForcing inverseSigmoid(double k) {
        if (!(k > 0)) {
            throw new IllegalArgumentException("TeacherForcing.inverseSigmoid: k must be > 0, got " + k);
        }
        return step -> k / (k + Math.exp(step / k));
    }

    /** @return linear decay {@code eps_i = max(floor, 1 - i / steps)} */
    static TeacherForcing linear(int steps, double floor) {
        if (steps <= 0 || !(floor >= 0 && floor <= 1)) {
            throw new IllegalArgumentException("TeacherForcing.linear: steps must be > 0 and floor in [0, 1], got "
                    + steps + ", " + floor);
        }
        return step -> Math.max(floor, 1.0 - step / (double) steps);
    }

    /**
     * The decoder input of one time step: row {@code i} gets {@code gold[i]} when {@code first}, when
     * {@code gold[i] == padId} (padding stays padding), or with probability {@code p}; else {@code own[i]}.
     *
     * @param gold the true previous tokens {@code (B)}
     * @param own  the model's own previous tokens {@code (B)} (from {@link #sample}); ignored when {@code first}
     * @return the {@code (B)} tokens to feed
     */
    static float[] choose(float[] gold, float[] own, double p, SplittableRandom rng, int padId, boolean first) {
        float[] in = new float[gold.length];
        for (int i = 0; i < gold.length; i++) {
            boolean useGold = first || gold[i] == padId || rng.nextDouble() < p;
            in[i] = useGold ? gold[i] : own[i];
        }
        return in;
    }

    /**
     * Draws one token per row from {@code softmax(logits)} without recording a gradient.
     *
     * @param logits {@code (B, V)} or {@code (B, 1, V)}
     * @return {@code (B)} token ids as floats
     */
    static float[] sample(Tensor logits, SplittableRandom rng) {
        float[] z;
        try (Grad g = Grad.disabled()) {
            z = logits.detach().toFloatArray();
        }
        int v = logits.size(logits.rank() - 1);
        int b = z.length / v;
        float[] out = new float[b];
        for (int i = 0; i < b; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, z[i * v + k]);
            }
            double sum = 0;
            for (int k = 0; k < v; k++) {
                sum += Math.exp(z[i * v + k] - max);
            }
            double u = rng.nextDouble() * sum;
            double acc = 0;
            int k = 0;
            for (; k < v - 1; k++) {
                acc += Math.exp(z[i * v + k] - max);
                if (u < acc) {
                    break;
                }
            }
            out[i] = k;
        }
        return out;
    }
}
