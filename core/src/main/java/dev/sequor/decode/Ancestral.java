package dev.sequor.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The left-to-right loop shared by greedy decoding and sampling: every row picks its next token
 * from its own distribution until it emits the end token or reaches the length limit.
 */
final class Ancestral {

    /** Picks a token from one row of log-probabilities. */
    interface Chooser {
        int choose(double[] logProbs);
    }

    private Ancestral() {
    }

    static <S> Decoded<S> run(StepDecoder<S> decoder, S state, int[] startTokens, int endToken, int maxLength,
                              double temperature, Chooser chooser) {
        int n = startTokens.length;
        LogProbs.checkArgs(n, maxLength);
        int[][] tokens = new int[n][maxLength];
        int[] len = new int[n];
        double[] logProb = new double[n];
        boolean[] done = new boolean[n];
        int[] last = startTokens.clone();
        int live = n;
        for (int t = 0; t < maxLength && live > 0; t++) {
            StepDecoder.Step<S> step = decoder.step(state, last);
            state = step.state();
            float[][] logits = LogProbs.read(step.logits(), n);
            for (int r = 0; r < n; r++) {
                if (done[r]) {
                    last[r] = endToken;
                    continue;
                }
                double[] lp = LogProbs.normalise(logits[r], 1.0);
                // Sampling draws from the tempered distribution; the reported logProb is the model's own.
                int tok = chooser.choose(temperature == 1.0 ? lp : LogProbs.normalise(logits[r], temperature));
                tokens[r][len[r]++] = tok;
                logProb[r] += lp[tok];
                last[r] = tok;
                if (tok == endToken) {
                    done[r] = true;
                    live--;
                }
            }
        }
        List<Hypothesis> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            out.add(new Hypothesis(Arrays.copyOf(tokens[r], len[r]), logProb[r], logProb[r], done[r]));
        }
        return new Decoded<>(out, state);
    }
}
