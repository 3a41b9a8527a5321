package dev.sequor.decode;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Ancestral sampling {@code y_t ~ p(. | y_<t, x)} with temperature, top-k and top-p (see
 * {@link SamplingConfig}), reproducible from its seed. Each row draws from one stream, so a result
 * does not depend on the backend that computed the logits beyond their float values.
 */
public final class Sampler {

    private Sampler() {
    }

    /**
     * Samples every row of {@code state}; arguments as {@link GreedyDecoder#decode}. The reported
     * {@link Hypothesis#logProb()} is under the model's own distribution (temperature 1), not the
     * tempered or truncated one.
     */
    public static <S> Decoded<S> sample(StepDecoder<S> decoder, S state, int[] startTokens, int endToken,
                                        int maxLength, SamplingConfig config) {
        SplittableRandom rng = new SplittableRandom(config.seed().value());
        return Ancestral.run(decoder, state, startTokens, endToken, maxLength, config.temperature(),
                row -> draw(row, config.topK(), config.topP(), rng.nextDouble()));
    }

    /**
     * Draws a token from normalised log-probabilities after top-k and top-p truncation, given a
     * uniform {@code u} in [0, 1). Ties in probability keep the lower id first.
     */
    static int draw(double[] logProbs, int topK, double topP, double u) {
        int v = logProbs.length;
        Integer[] order = new Integer[v];
        for (int j = 0; j < v; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(logProbs[b], logProbs[a]));
        int keep = topK > 0 ? Math.min(topK, v) : v;
        double[] p = new double[keep];
        double mass = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp(logProbs[order[i]]);
            mass += p[i];
        }
        // top-p works on the distribution renormalised after top-k, as Hugging Face's warpers chain.
        int kept = keep;
        if (topP < 1) {
            double acc = 0;
            for (int i = 0; i < keep; i++) {
                acc += p[i] / mass;
                if (acc >= topP) {
                    kept = i + 1;
                    break;
                }
            }
            mass = 0;
            for (int i = 0; i < kept; i++) {
                mass += p[i];
            }
        }
        double target = u * mass;
        double acc = 0;
        for (int i = 0; i < kept; i++) {
            acc += p[i];
            if (target < acc) {
                return order[i];
            }
        }
        return order[kept - 1];
    }
}
