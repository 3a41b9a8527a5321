package dev.sequor.train;

import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;

/**
 * The built-in {@link Metric}s. Means are over counted targets ({@link Prediction#ignoreIndex()} left
 * out), not over batches, so a short last batch weighs what its tokens weigh:
 * {@code loss = sum_b L_b n_b / sum_b n_b} with {@code L_b} the batch's mean loss and {@code n_b} its
 * counted targets; {@code perplexity = exp(loss)}; {@code bits per char = loss / ln 2} (with a
 * cross-entropy loss in nats per character).
 */
public final class Metrics {

    private Metrics() {
    }

    /** @return the mean loss per counted target, named {@code loss} */
    public static Metric loss() {
        return new LossMean("loss", 0);
    }

    /** @return {@code exp(mean loss)}, named {@code perplexity} */
    public static Metric perplexity() {
        return new LossMean("perplexity", 1);
    }

    /** @return {@code mean loss / ln 2}, named {@code bpc} */
    public static Metric bitsPerChar() {
        return new LossMean("bpc", 2);
    }

    /**
     * @return the fraction of counted targets whose argmax over the last axis of the output equals the
     *         target, named {@code accuracy}
     */
    public static Metric accuracy() {
        return new Accuracy("accuracy", Integer.MIN_VALUE, false);
    }

    /**
     * @param padId a target value left out besides the prediction's ignore index (the padding id)
     * @return the accuracy over tokens that are neither padding nor ignored, named {@code token_accuracy}
     */
    public static Metric tokenAccuracy(int padId) {
        return new Accuracy("token_accuracy", padId, false);
    }

    /**
     * @param padId as {@link #tokenAccuracy(int)}
     * @return the fraction of rows ({@code (B, T)} targets) whose every counted token is right, named
     *         {@code exact_match}
     */
    public static Metric exactMatch(int padId) {
        return new Accuracy("exact_match", padId, true);
    }

    private static final class LossMean implements Metric {
        private final String name;
        private final int form;
        private double sum;
        private long n;

        LossMean(String name, int form) {
            this.name = name;
            this.form = form;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void reset() {
            sum = 0;
            n = 0;
        }

        @Override
        public void update(Prediction prediction, double loss, long counted) {
            sum += loss * counted;
            n += counted;
        }

        @Override
        public double value() {
            double mean = n == 0 ? Double.NaN : sum / n;
            return switch (form) {
                case 0 -> mean;
                case 1 -> Math.exp(mean);
                default -> mean / Math.log(2);
            };
        }
    }

    private static final class Accuracy implements Metric {
        private final String name;
        private final int padId;
        private final boolean rows;
        private long right;
        private long n;

        Accuracy(String name, int padId, boolean rows) {
            this.name = name;
            this.padId = padId;
            this.rows = rows;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void reset() {
            right = 0;
            n = 0;
        }

        @Override
        public void update(Prediction p, double loss, long counted) {
            float[] guess;
            try (Grad g = Grad.disabled()) {
                guess = p.output().detach().argmax(p.output().rank() - 1, false).toFloatArray();
            }
            float[] target = p.target().toFloatArray();
            int width = rows && p.target().rank() > 1 ? target.length / p.target().size(0) : 1;
            for (int r = 0; r < target.length / width; r++) {
                boolean all = true;
                boolean any = false;
                for (int i = r * width; i < (r + 1) * width; i++) {
                    if (target[i] == p.ignoreIndex() || target[i] == padId) {
                        continue;
                    }
                    any = true;
                    boolean ok = guess[i] == target[i];
                    all &= ok;
                    if (!rows) {
                        right += ok ? 1 : 0;
                        n++;
                    }
                }
                if (rows && any) {
                    right += all ? 1 : 0;
                    n++;
                }
            }
        }

        @Override
        public double value() {
            return n == 0 ? Double.NaN : right / (double) n;
        }
    }
}
