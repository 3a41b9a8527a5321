package dev.sequor.bench;

import dev.sequor.cli.DemoCommand;
import dev.sequor.cli.seq2seq.DateTask;
import dev.sequor.cli.seq2seq.Seq2Seq;
import dev.sequor.cli.seq2seq.Seq2SeqConfig;
import dev.sequor.cli.seq2seq.Seq2SeqTraining;
import dev.sequor.cli.text.Vocabulary;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import dev.sequor.optim.Clip;
import dev.sequor.spi.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What the library's training loop costs: the demo's training ({@link DemoCommand#train}, which runs
 * {@code Trainer.fit} with Adam, clipping, the rate schedule, scheduled sampling and per-step metrics)
 * against {@link #handLoop}, the loop the demo had before, on the demo's model and batch (bidirectional
 * GRU encoder 64+64, GRU decoder 128 with Bahdanau attention, batch 64, 20,000 training pairs). Both
 * start from the same initialisation and draw the same batches, so they do the same arithmetic
 * ({@code FitMatchesHandLoopTest} checks that they end with identical weights); what differs is the
 * loop's own work. Rounds alternate fit and hand loop so machine load falls on both alike; prints the
 * seconds of each per round and the median ratio. Asserts nothing.
 * Arguments: {@code [backend] [steps] [rounds]} (defaults: the default backend, 150, 3).
 */
public final class FitOverheadBench {

    private static final int BATCH = 64;
    private static final int HIDDEN = 128;
    private static final double LR = 3e-3;

    private FitOverheadBench() {
    }

    /**
     * The demo's loop before it used {@code Trainer.fit}: {@code steps} batches of {@code batchSize}
     * pairs drawn with replacement, Adam at {@code lr} decayed linearly to a tenth over the second half,
     * gradient norm clipped to 1, scheduled sampling with inverse-sigmoid decay {@code k = sampling}
     * when it is positive (plain teacher forcing otherwise).
     */
    public static void handLoop(Seq2Seq model, Vocabulary vocab, List<DateTask.Pair> data, int steps, int batchSize,
                                double lr, double sampling, long seed) {
        Adam opt = new Adam(model.module(), AdamConfig.adam(lr));
        SplittableRandom rng = new SplittableRandom(seed * 31 + 7);
        model.module().train();
        for (int step = 1; step <= steps; step++) {
            List<DateTask.Pair> pick = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                pick.add(data.get(rng.nextInt(data.size())));
            }
            double frac = (double) step / steps;
            opt.setLr(frac <= 0.5 ? lr : lr * (1 - 1.8 * (frac - 0.5)));
            double teacher = sampling > 0 ? Seq2SeqTraining.inverseSigmoid(step, sampling) : 1.0;
            try (var scope = Tensor.scope()) {
                Seq2SeqTraining.Batch b = Seq2SeqTraining.batch(pick, vocab, model.module().backend());
                Tensor l = model.loss(b, teacher, rng);
                l.backward();
                Clip.clipGradNorm(model.module().parameters(), 1.0, 2.0);
                opt.step();
                opt.zeroGrad();
            }
        }
    }

    public static void main(String[] args) {
        Backend be = args.length > 0 && !args[0].equals("default") ? Backends.get(args[0]) : Backends.get();
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Vocabulary vocab = Vocabulary.of(DateTask.alphabet());
        List<DateTask.Pair> data = DateTask.sample(20_000, 1);
        Seq2SeqConfig cfg = new Seq2SeqConfig(vocab.size(), 32, HIDDEN / 2, HIDDEN, "gru", "bahdanau", 1);
        run(be, cfg, vocab, data, 20, true);   // compiles both paths before the timed rounds
        run(be, cfg, vocab, data, 20, false);
        double[] fit = new double[rounds];
        double[] hand = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            fit[r] = run(be, cfg, vocab, data, steps, true);
            hand[r] = run(be, cfg, vocab, data, steps, false);
            System.out.printf(Locale.ROOT, "round %d: fit %.2f s, hand loop %.2f s (%d steps, batch %d, %s)%n",
                    r + 1, fit[r], hand[r], steps, BATCH, be.name());
        }
        double f = median(fit);
        double h = median(hand);
        System.out.printf(Locale.ROOT, "median: fit %.2f s, hand loop %.2f s, fit / hand = %.3f (%.1f ms per step)%n",
                f, h, f / h, 1000 * f / steps);
    }

    private static double run(Backend be, Seq2SeqConfig cfg, Vocabulary vocab, List<DateTask.Pair> data, int steps,
                              boolean viaFit) {
        Seq2Seq model = new Seq2Seq(be, cfg);
        long t0 = System.nanoTime();
        if (viaFit) {
            DemoCommand.train(model, vocab, data, steps, BATCH, LR, 0.0, 1);
        } else {
            handLoop(model, vocab, data, steps, BATCH, LR, 0.0, 1);
        }
        be.synchronize();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
