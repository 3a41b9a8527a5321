package dev.sequor.cli.charlm;

import dev.sequor.cli.io.Checkpoint;
import dev.sequor.cli.io.OutputPaths;
import dev.sequor.cli.text.Vocabulary;
import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.decode.BeamConfig;
import dev.sequor.decode.BeamSearch;
import dev.sequor.decode.Hypothesis;
import dev.sequor.decode.Sampler;
import dev.sequor.decode.SamplingConfig;
import dev.sequor.decode.StepDecoder;
import dev.sequor.nn.recurrent.RecurrentState;
import dev.sequor.spi.Backend;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * The logic of {@code sequor charlm train} and {@code sequor charlm sample}; option parsing and
 * backend choice stay in the command layer, which passes plain values here.
 */
public final class CharLmCommand {

    private CharLmCommand() {
    }

    /**
     * Trains (or resumes) a character model on {@code textFile}.
     *
     * @param requested the configuration asked for on the command line (its vocabulary size is
     *                  ignored: it comes from the text, or from the checkpoint on resume)
     * @param resume    continue from {@code checkpoint} if it exists
     * @param force     without {@code resume}, replace an existing {@code checkpoint} (else refused)
     * @return the final validation bits per character
     */
    public static double train(Backend backend, Path textFile, Path checkpoint, CharLmConfig requested,
                               CharLmTrainer.Settings settings, double valFraction, boolean resume, boolean force,
                               PrintStream out) {
        if (!resume && !force) {
            OutputPaths.refuseOverwrite(checkpoint, "pass --resume to continue training it, --force to replace it, "
                    + "or another --checkpoint");
        }
        OutputPaths.requireWritableFile(checkpoint, "--checkpoint");
        String text = CharLmData.readText(textFile);
        Vocabulary vocab;
        CharLmConfig cfg;
        Checkpoint.Loaded ckpt = null;
        if (resume && Files.exists(checkpoint)) {
            ckpt = Checkpoint.load(checkpoint, "charlm");
            cfg = CharLmConfig.fromJson(ckpt.config());
            checkSame(checkpoint, "hidden", cfg.hidden(), requested.hidden());
            checkSame(checkpoint, "layers", cfg.layers(), requested.layers());
            if (!cfg.cell().equals(requested.cell())) {
                throw new IllegalArgumentException("checkpoint " + checkpoint + " was trained with --cell " + cfg.cell()
                        + ", but --cell " + requested.cell() + " was given");
            }
            vocab = ckpt.vocab();
        } else {
            vocab = CharLmData.vocabulary(text);
            cfg = new CharLmConfig(vocab.size(), requested.hidden(), requested.layers(), requested.cell(),
                    requested.dropout(), requested.seed());
        }
        CharLmData data = new CharLmData(vocab.encode(text), valFraction);
        CharLm model = new CharLm(backend, cfg);
        CharLmTrainer trainer = new CharLmTrainer(model, vocab, data, settings, checkpoint);
        if (ckpt != null) {
            Checkpoint.restore(ckpt, CharLmTrainer.modelTensors(ckpt), model);
            trainer.resume(ckpt);
            if (trainer.step() >= settings.steps()) {
                throw new IllegalArgumentException("checkpoint " + checkpoint + " is already at step " + trainer.step()
                        + ", so --steps " + settings.steps() + " leaves nothing to train; give --steps above "
                        + trainer.step() + " to continue");
            }
            out.printf(Locale.ROOT, "Resuming from %s at step %d of %d%n", checkpoint, trainer.step(), settings.steps());
        }
        out.printf(Locale.ROOT, "Text: %,d characters (%,d train, %,d validation), %d distinct%n", text.length(),
                data.train().length, data.val().length, vocab.size() - 3);
        out.printf(Locale.ROOT, "Model: %d-layer %s, hidden %d, %,d parameters; backend %s; TBPTT %d of %d chars x %d streams%n",
                cfg.layers(), cfg.cell().toUpperCase(Locale.ROOT), cfg.hidden(), model.parameterCount(), backend.name(),
                settings.tbptt(), settings.seq(), settings.batch());
        return trainer.train(out);
    }

    private static void checkSame(Path ckpt, String option, int inFile, int given) {
        if (inFile != given) {
            throw new IllegalArgumentException("checkpoint " + ckpt + " was trained with --" + option + " " + inFile
                    + ", but --" + option + " " + given + " was given; use the same settings to resume, or another "
                    + "--checkpoint to start afresh");
        }
    }

    /**
     * Generates text after {@code prompt}: by sampling, or by beam search when {@code beam > 0}.
     *
     * @return the generated continuation (without the prompt)
     */
    public static String sample(Backend backend, Path checkpoint, String prompt, int length, SamplingConfig sampling,
                                int beam) {
        Checkpoint.Loaded ckpt = Checkpoint.load(checkpoint, "charlm");
        CharLmConfig cfg = CharLmConfig.fromJson(ckpt.config());
        if (cfg.vocabSize() != ckpt.vocab().size()) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + ": configuration says " + cfg.vocabSize()
                    + " ids but the vocabulary has " + ckpt.vocab().size());
        }
        CharLm model = new CharLm(backend, cfg);
        Checkpoint.restore(ckpt, CharLmTrainer.modelTensors(ckpt), model);
        model.eval();
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("--prompt must have at least one character");
        }
        int[] ids = ckpt.vocab().encode(prompt);
        try (Grad g = Grad.disabled(); var scope = Tensor.scope()) {
            RecurrentState state = null;
            if (ids.length > 1) {
                state = model.run(new int[][] {Arrays.copyOf(ids, ids.length - 1)}, null).state();
            }
            StepDecoder<RecurrentState> dec = model.stepDecoder();
            int start = ids[ids.length - 1];
            if (state == null) {
                state = zeros(model);
            }
            int[] out;
            if (beam > 0) {
                Hypothesis h = BeamSearch.search(dec, state, start, new BeamConfig(beam, 0.0, 1, length, -1)).get(0);
                out = h.tokens();
            } else {
                out = Sampler.sample(dec, state, new int[] {start}, -1, length, sampling).hypotheses().get(0).tokens();
            }
            return ckpt.vocab().decode(out);
        }
    }

    private static RecurrentState zeros(CharLm model) {
        CharLmConfig c = model.config();
        Function<Integer, Tensor> z = n -> Tensor.zeros(model.backend(), c.layers(), 1, c.hidden());
        return new RecurrentState(z.apply(0), c.cell().equals("lstm") ? z.apply(0) : null);
    }
}
