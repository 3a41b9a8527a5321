package dev.sequor.cli;

import dev.sequor.cli.io.Checkpoint;
import dev.sequor.cli.io.OutputPaths;
import dev.sequor.cli.seq2seq.DateTask;
import dev.sequor.cli.seq2seq.Seq2Seq;
import dev.sequor.cli.seq2seq.Seq2SeqConfig;
import dev.sequor.cli.seq2seq.Seq2SeqTraining;
import dev.sequor.cli.seq2seq.TransformerSeq2Seq;
import dev.sequor.cli.seq2seq.Translator;
import dev.sequor.cli.text.Vocabulary;
import dev.sequor.cli.ui.HeatMap;
import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.decode.BeamConfig;
import dev.sequor.decode.BeamSearch;
import dev.sequor.decode.GreedyDecoder;
import dev.sequor.decode.Hypothesis;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import dev.sequor.optim.LrScheduler;
import dev.sequor.spi.Backend;
import dev.sequor.train.Callback;
import dev.sequor.train.EpochSource;
import dev.sequor.train.MetricsLog;
import dev.sequor.train.Prediction;
import dev.sequor.train.ProgressPrinter;
import dev.sequor.train.Trainer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code sequor demo}: trains the attention encoder-decoder on human-written dates to ISO dates,
 * then reports held-out exact match, beam-search samples, a checkpoint and an attention heat map.
 * Public only for {@code bench/FitOverheadBench}, which times {@link #train} (the module exports nothing).
 */
public final class DemoCommand implements Command {

    static final int TRAIN_SIZE = 20_000;
    static final int TEST_SIZE = 1_000;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "train an attention seq2seq model to read dates (\"Nov 21, 2026\" -> 2026-11-21)";
    }

    @Override
    public String help() {
        return """
                Usage: sequor demo [--steps N] [--backend NAME] [--out DIR] [options]

                Trains a bidirectional-GRU encoder and an attention GRU decoder (Luong or Bahdanau
                attention) on generated human-written dates in 14 formats
                ("saturday 21 november 2026", "21/11/26", "Nov 21, 2026", ...) to ISO 8601 with
                teacher forcing and Adam, with a fixed seed. Then prints the exact-match accuracy on
                %d held-out dates (greedy decoding), beam-search translations of a few, the saved
                checkpoint and an attention heat map PNG of one example.

                Options:
                  --steps N          training steps (default 600)
                  --batch N          examples per step (default 64)
                  --backend NAME     compute backend (default: the best available; see 'sequor backends')
                  --out DIR          where the checkpoint and heat map go (default: sequor-demo)
                  --model rnn|transformer
                                     the RNN encoder-decoder, or a 2+2-layer Transformer with 4 heads
                                     decoding on a KV cache (default rnn)
                  --cell gru|lstm    recurrent cell (default gru)
                  --attention luong|bahdanau
                                     score s^T W h (Luong "general") or v^T tanh(W s + U h)
                                     (Bahdanau, additive) (default bahdanau)
                  --hidden N         decoder width; the encoder uses N/2 per direction (default 128);
                                     the Transformer's width
                  --lr X             Adam learning rate (default 0.003)
                  --sampling K       scheduled sampling with inverse-sigmoid decay k=K (Bengio et al.
                                     2015); 0 = plain teacher forcing (default 0)
                  --beam W           beam width of the sample translations (default 4)
                  --seed N           seed of data, initialisation and sampling (default 1)""".formatted(TEST_SIZE);
    }

    @Override
    public int run(Options o, PrintStream out, PrintStream err) {
        o.allowOnly(Set.of("steps", "batch", "backend", "out", "model", "cell", "attention", "hidden", "lr", "sampling", "beam", "seed"));
        int steps = o.positive("steps", 600);
        int batchSize = o.positive("batch", 64);
        int hidden = o.positive("hidden", 128);
        int beam = o.positive("beam", 4);
        double lr = o.decimal("lr", 3e-3);
        double sampling = o.decimal("sampling", 0);
        long seed = o.integer("seed", 1);
        String cell = o.string("cell", "gru");
        String attention = o.string("attention", "bahdanau");
        if (!attention.equals("luong") && !attention.equals("bahdanau")) {
            throw new UsageException("--attention must be luong or bahdanau, got '" + attention + "'");
        }
        if (!cell.equals("gru") && !cell.equals("lstm")) {
            throw new UsageException("--cell must be gru or lstm, got '" + cell + "'");
        }
        Path dir = Path.of(o.string("out", "sequor-demo"));
        OutputPaths.requireWritableDirectory(dir, "--out"); // before training, not after it
        Backend backend = BackendChoice.resolve(o.string("backend", null));

        List<DateTask.Pair> train = DateTask.sample(TRAIN_SIZE, seed);
        List<DateTask.Pair> test = DateTask.sample(TEST_SIZE, seed + 1_000_003L);
        Vocabulary vocab = Vocabulary.of(DateTask.alphabet());
        String kind = o.string("model", "rnn");
        Translator<?> model;
        if (kind.equals("rnn")) {
            Seq2SeqConfig cfg = new Seq2SeqConfig(vocab.size(), 32, Math.max(1, hidden / 2), hidden, cell, attention,
                    seed);
            model = new Seq2Seq(backend, cfg);
            out.printf(Locale.ROOT, "Model: bidirectional %s encoder %d+%d, attention %s decoder %d with %s attention, "
                    + "%,d parameters; backend %s%n", cell.toUpperCase(Locale.ROOT), cfg.encoderHidden(),
                    cfg.encoderHidden(), cell.toUpperCase(Locale.ROOT), hidden, attention,
                    model.module().parameterCount(), backend.name());
        } else if (kind.equals("transformer")) {
            if (hidden % 4 != 0) {
                throw new UsageException("--hidden must be a multiple of 4 (the heads) for the Transformer, got " + hidden);
            }
            model = new TransformerSeq2Seq(backend, new TransformerSeq2Seq.Config(vocab.size(), hidden, 4, 2,
                    2 * hidden, seed));
            out.printf(Locale.ROOT, "Model: Transformer, 2 encoder + 2 decoder layers, width %d, 4 heads, "
                    + "%,d parameters; backend %s%n", hidden, model.module().parameterCount(), backend.name());
        } else {
            throw new UsageException("--model must be rnn or transformer, got '" + kind + "'");
        }
        out.printf(Locale.ROOT, "Task: human-written dates -> ISO 8601; %,d training pairs, %,d held out. "
                + "e.g. \"%s\" -> %s%n", TRAIN_SIZE, TEST_SIZE, train.get(0).source(), train.get(0).target());

        Path csv = dir.resolve("metrics.csv");
        Path curve = dir.resolve("loss.png");
        double trainSeconds = train(model, vocab, train, steps, batchSize, lr, sampling, seed, new ProgressPrinter(out),
                new MetricsLog(csv, curve));

        double acc = Seq2SeqTraining.exactMatch(model, vocab, test, 250);
        out.printf(Locale.ROOT, "%nHeld-out exact match: %.1f%% (%d/%d, greedy decoding) after %d steps in %.0f s%n",
                100 * acc, Math.round(acc * test.size()), test.size(), steps, trainSeconds);

        showBeamSamples(model, vocab, test.subList(0, 6), beam, out);

        Path ckpt = dir.resolve("dates-seq2seq.safetensors");
        Checkpoint.save(ckpt, model.kind(), model.configJson(), vocab, model.module().stateData(),
                Map.of("sequor.steps", Integer.toString(steps), "sequor.task", "dates"));
        out.println("Checkpoint: " + ckpt);
        out.println("Loss curve: " + curve + " (metrics " + csv + ")");
        Path png = dir.resolve("attention.png");
        if (heatMap(model, vocab, test.get(0), png)) {
            out.println("Attention heat map of \"" + test.get(0).source() + "\": " + png);
        } else {
            out.println("(No attention heat map: the Transformer's cross-attention spans heads and layers.)");
        }
        return 0;
    }

    static double train(Translator<?> model, Vocabulary vocab, List<DateTask.Pair> data, int steps, int batchSize, double lr,
                        double sampling, long seed, PrintStream out) {
        return train(model, vocab, data, steps, batchSize, lr, sampling, seed, new ProgressPrinter(out));
    }

    /**
     * Trains with the library's loop: one epoch of {@code steps} batches drawn with replacement, Adam,
     * gradient norm clipped to 1, the rate decayed linearly to a tenth over the second half, scheduled
     * sampling when {@code sampling > 0}. Batches are drawn as they are reached, from the same random
     * stream the scheduled sampling draws from. @return the training seconds
     */
    public static double train(Translator<?> model, Vocabulary vocab, List<DateTask.Pair> data, int steps, int batchSize,
                               double lr, double sampling, long seed, Callback... callbacks) {
        SplittableRandom rng = new SplittableRandom(seed * 31 + 7);
        EpochSource<List<DateTask.Pair>> picks = e -> new AbstractCollection<>() {
            @Override
            public int size() {
                return steps;
            }

            @Override
            public Iterator<List<DateTask.Pair>> iterator() {
                return new Iterator<>() {
                    private int made;

                    @Override
                    public boolean hasNext() {
                        return made < steps;
                    }

                    @Override
                    public List<DateTask.Pair> next() {
                        made++;
                        List<DateTask.Pair> pick = new ArrayList<>(batchSize);
                        for (int i = 0; i < batchSize; i++) {
                            pick.add(data.get(rng.nextInt(data.size())));
                        }
                        return pick;
                    }
                };
            }
        };
        Trainer<List<DateTask.Pair>> trainer = Trainer.<List<DateTask.Pair>>of((pick, info) -> {
            Seq2SeqTraining.Batch b = Seq2SeqTraining.batch(pick, vocab, model.module().backend());
            return Prediction.withLoss(model.loss(b, info.teacherProb(), rng), null, b.target(), Vocabulary.PAD);
        }, model.module())
                .optimizer(m -> new Adam(m, AdamConfig.adam(lr)))
                .schedule(o -> new LrScheduler(o) {
                    {
                        start();
                    }

                    @Override
                    public double lrAt(int done) {
                        // the step about to run, 1-based; capped, as fit sets the rate once more after the last step
                        double frac = Math.min(1.0, (done + 1.0) / steps);
                        return frac <= 0.5 ? lr : lr * (1 - 1.8 * (frac - 0.5));
                    }
                })
                .clipGradNorm(1.0)
                .teacherForcing(s -> sampling > 0 ? Seq2SeqTraining.inverseSigmoid(s + 1, sampling) : 1.0)
                .reportEvery(Math.max(1, steps / 10))
                .callbacks(callbacks);
        long start = System.nanoTime();
        trainer.fit(picks, 1);
        return (System.nanoTime() - start) / 1e9;
    }

    private static <S> void showBeamSamples(Translator<S> model, Vocabulary vocab, List<DateTask.Pair> pairs,
                                            int width, PrintStream out) {
        out.println();
        out.printf("Beam search (width %d), best of %d:%n", width, width);
        model.module().eval();
        try (Grad g = Grad.disabled(); var scope = Tensor.scope()) {
            for (DateTask.Pair p : pairs) {
                Seq2SeqTraining.Batch b = Seq2SeqTraining.batch(List.of(p), vocab, model.module().backend());
                S start = model.start(b, false);
                List<Hypothesis> hyps = BeamSearch.search(model.stepDecoder(), start, Vocabulary.START,
                        new BeamConfig(width, 0.0, Math.min(2, width), 16, Vocabulary.END));
                model.release(start);
                Hypothesis best = hyps.get(0);
                String got = vocab.decode(best.tokensWithoutEnd());
                String alt = hyps.size() > 1 ? String.format(Locale.ROOT, "   (runner-up %s, p=%.2g)",
                        vocab.decode(hyps.get(1).tokensWithoutEnd()), Math.exp(hyps.get(1).logProb())) : "";
                out.printf(Locale.ROOT, "  %-30s -> %s  p=%.3f %s%s%n", "\"" + p.source() + "\"", got,
                        Math.exp(best.logProb()), got.equals(p.target()) ? "ok" : "WRONG (want " + p.target() + ")", alt);
            }
        } finally {
            model.module().train();
        }
    }

    /** @return false when the model records no attention weights */
    static <S> boolean heatMap(Translator<S> model, Vocabulary vocab, DateTask.Pair p, Path png) {
        model.module().eval();
        try (Grad g = Grad.disabled(); var scope = Tensor.scope()) {
            Seq2SeqTraining.Batch b = Seq2SeqTraining.batch(List.of(p), vocab, model.module().backend());
            var result = GreedyDecoder.decode(model.stepDecoder(), model.start(b, true), new int[] {Vocabulary.START},
                    Vocabulary.END, 16);
            List<float[][]> att = model.attention(result.state());
            model.release(result.state());
            if (att == null) {
                return false;
            }
            int[] toks = result.hypotheses().get(0).tokens();
            float[][] w = new float[toks.length][];
            List<String> rows = new ArrayList<>();
            for (int t = 0; t < toks.length; t++) {
                w[t] = att.get(t)[0];
                rows.add(vocab.label(toks[t]));
            }
            List<String> cols = new ArrayList<>();
            for (int id : vocab.encode(p.source())) {
                cols.add(vocab.label(id));
            }
            HeatMap.write(png, w, cols, rows, "\"" + p.source() + "\" -> " + vocab.decode(toks));
            return true;
        } finally {
            model.module().train();
        }
    }
}
