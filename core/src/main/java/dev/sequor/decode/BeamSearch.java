package dev.sequor.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Beam search over any {@link StepDecoder} (Sutskever et al. 2014; scoring of Wu et al. 2016).
 *
 * <p>Each step extends every live hypothesis by every token, scores {@code log p(y_1..y_t)}, and
 * keeps the W best extensions that do not end (ties: lower beam, then lower token id). An extension
 * by the end token among the W best becomes a finished hypothesis with score
 * {@code log p(Y) / lp(|Y|)} ({@link BeamConfig#penalty}). The search stops when no live hypothesis
 * remains, at {@code maxLength}, or when W hypotheses have finished and the best live one, scored
 * at its current length, is below the worst of those W (exact when the length penalty is 0, since
 * log-probabilities only fall; a heuristic otherwise, as in common implementations). Live
 * hypotheses cut at {@code maxLength} are returned as unfinished when needed to fill n-best.
 */
public final class BeamSearch {

    private BeamSearch() {
    }

    private record Live(int[] tokens, double logProb) {
    }

    private record Candidate(int beam, int token, double logProb) {
    }

    /**
     * Searches from one source.
     *
     * @param decoder    the model
     * @param state      the initial state with exactly one row
     * @param startToken the first input token
     * @param config     width, length penalty, n-best, length limit and end token
     * @return up to {@code nBest} hypotheses, best score first
     */
    public static <S> List<Hypothesis> search(StepDecoder<S> decoder, S state, int startToken, BeamConfig config) {
        int w = config.width();
        List<Live> live = List.of(new Live(new int[0], 0.0));
        List<Hypothesis> finished = new ArrayList<>();
        int[] last = {startToken};
        for (int t = 0; t < config.maxLength() && !live.isEmpty(); t++) {
            StepDecoder.Step<S> step = decoder.step(state, last);
            float[][] logits = LogProbs.read(step.logits(), live.size());
            List<Candidate> ranked = rank(live, logits);
            List<Live> next = new ArrayList<>(w);
            int[] rows = new int[w];
            for (int rank = 0; rank < ranked.size() && next.size() < w; rank++) {
                Candidate c = ranked.get(rank);
                int[] toks = Arrays.copyOf(live.get(c.beam()).tokens(), t + 1);
                toks[t] = c.token();
                if (c.token() == config.endToken()) {
                    if (rank < w) {
                        finished.add(new Hypothesis(toks, c.logProb(), c.logProb() / config.penalty(t + 1), true));
                    }
                    continue;
                }
                rows[next.size()] = c.beam();
                next.add(new Live(toks, c.logProb()));
            }
            live = next;
            if (live.isEmpty() || done(finished, live, t + 1, config)) {
                live = List.of();
                break;
            }
            state = decoder.select(step.state(), Arrays.copyOf(rows, live.size()));
            last = new int[live.size()];
            for (int b = 0; b < live.size(); b++) {
                last[b] = live.get(b).tokens()[t];
            }
        }
        List<Hypothesis> all = new ArrayList<>(finished);
        all.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
        if (all.size() < config.nBest()) {
            for (Live l : live) {
                all.add(new Hypothesis(l.tokens(), l.logProb(), l.logProb() / config.penalty(l.tokens().length), false));
            }
            all.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
        }
        return List.copyOf(all.subList(0, Math.min(config.nBest(), all.size())));
    }

    /** @return every one-token extension of every live hypothesis, best first; ties by beam then token */
    private static List<Candidate> rank(List<Live> live, float[][] logits) {
        List<Candidate> all = new ArrayList<>(live.size() * logits[0].length);
        for (int b = 0; b < live.size(); b++) {
            double[] lp = LogProbs.normalise(logits[b], 1.0);
            double base = live.get(b).logProb();
            for (int v = 0; v < lp.length; v++) {
                if (lp[v] != Double.NEGATIVE_INFINITY) {
                    all.add(new Candidate(b, v, base + lp[v]));
                }
            }
        }
        // List.sort is stable and the list is in (beam, token) order, so ties keep that order.
        all.sort(Comparator.comparingDouble(Candidate::logProb).reversed());
        return all;
    }

    private static boolean done(List<Hypothesis> finished, List<Live> live, int length, BeamConfig config) {
        int w = config.width();
        if (finished.size() < w) {
            return false;
        }
        double[] scores = finished.stream().mapToDouble(Hypothesis::score).sorted().toArray();
        double worstOfBest = scores[scores.length - w];
        double bestLive = live.stream().mapToDouble(Live::logProb).max().orElse(Double.NEGATIVE_INFINITY);
        return bestLive / config.penalty(length) < worstOfBest;
    }
}
