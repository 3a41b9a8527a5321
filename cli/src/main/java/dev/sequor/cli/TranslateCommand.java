package dev.sequor.cli;

import dev.sequor.cli.io.Checkpoint;
import dev.sequor.cli.seq2seq.DateTask;
import dev.sequor.cli.seq2seq.Seq2Seq;
import dev.sequor.cli.seq2seq.Seq2SeqConfig;
import dev.sequor.cli.seq2seq.Seq2SeqTraining;
import dev.sequor.cli.seq2seq.TransformerSeq2Seq;
import dev.sequor.cli.seq2seq.Translator;
import dev.sequor.cli.text.Vocabulary;
import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.decode.BeamConfig;
import dev.sequor.decode.BeamSearch;
import dev.sequor.decode.Hypothesis;
import dev.sequor.spi.Backend;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code sequor translate}: runs a saved seq2seq checkpoint (such as the demo's) on given inputs. */
final class TranslateCommand implements Command {

    @Override
    public String name() {
        return "translate";
    }

    @Override
    public String summary() {
        return "translate inputs with a saved seq2seq checkpoint (e.g. the demo's date model)";
    }

    @Override
    public String help() {
        return """
                Usage: sequor translate --checkpoint CKPT [--beam W] [--nbest N] [--backend NAME] TEXT...

                Loads a checkpoint written by 'sequor demo' (RNN or Transformer), checks it against its
                configuration, and prints each TEXT with its beam-search translations.
                  --checkpoint CKPT  the .safetensors file (required)
                  --beam W           beam width (default 4)
                  --nbest N          translations shown per input (default 1)
                  --backend NAME     compute backend (default: the best available)""";
    }

    @Override
    public int run(Options o, PrintStream out, PrintStream err) {
        o.allowOnly(Set.of("checkpoint", "beam", "nbest", "backend"));
        String path = o.string("checkpoint", null);
        if (path == null) {
            throw new UsageException("--checkpoint CKPT is required");
        }
        if (o.positional().isEmpty()) {
            throw new UsageException("give at least one TEXT to translate");
        }
        int beam = o.integer("beam", 4);
        int nbest = o.integer("nbest", 1);
        if (beam < 1 || nbest < 1 || nbest > beam) {
            throw new UsageException("need 1 <= --nbest <= --beam, got --beam " + beam + " --nbest " + nbest);
        }
        Backend backend = BackendChoice.resolve(o.string("backend", null));
        Checkpoint.Loaded ck = loadAny(Path.of(path));
        Translator<?> model = ck.kind().equals("seq2seq")
                ? new Seq2Seq(backend, Seq2SeqConfig.fromJson(ck.config()))
                : new TransformerSeq2Seq(backend, TransformerSeq2Seq.Config.fromJson(ck.config()));
        Checkpoint.restore(ck, model.module());
        for (String text : o.positional()) {
            print(model, ck.vocab(), text, new BeamConfig(beam, 0.0, nbest, 32, Vocabulary.END), out);
        }
        return 0;
    }

    private static Checkpoint.Loaded loadAny(Path file) {
        try {
            return Checkpoint.load(file, "seq2seq");
        } catch (IllegalArgumentException e) {
            if (e.getMessage().contains("holds a 'seq2seq-transformer' model")) {
                return Checkpoint.load(file, "seq2seq-transformer");
            }
            throw e;
        }
    }

    private static <S> void print(Translator<S> model, Vocabulary vocab, String text, BeamConfig cfg, PrintStream out) {
        model.module().eval();
        try (Grad g = Grad.disabled(); var scope = Tensor.scope()) {
            var batch = Seq2SeqTraining.batch(List.of(new DateTask.Pair(text, "")), vocab, model.module().backend());
            S start = model.start(batch, false);
            List<Hypothesis> hyps = BeamSearch.search(model.stepDecoder(), start, Vocabulary.START, cfg);
            model.release(start);
            for (Hypothesis h : hyps) {
                out.printf(Locale.ROOT, "%-32s -> %s   (p=%.3g)%n", "\"" + text + "\"", vocab.decode(h.tokensWithoutEnd()),
                        Math.exp(h.logProb()));
            }
        }
    }
}
