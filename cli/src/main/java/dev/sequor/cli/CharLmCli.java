package dev.sequor.cli;

import dev.sequor.core.Seed;

import dev.sequor.cli.charlm.CharLmCommand;
import dev.sequor.cli.charlm.CharLmConfig;
import dev.sequor.cli.charlm.CharLmTrainer;
import dev.sequor.decode.SamplingConfig;
import dev.sequor.spi.Backend;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code sequor charlm train|sample}: a character-level LSTM/GRU language model on any UTF-8 text. */
final class CharLmCli implements Command {

    @Override
    public String name() {
        return "charlm";
    }

    @Override
    public String summary() {
        return "train a character language model on a UTF-8 text, or sample from one";
    }

    @Override
    public String help() {
        return """
                Usage: sequor charlm train --text FILE [options]
                       sequor charlm sample --checkpoint CKPT --prompt TEXT [options]

                train: a multi-layer LSTM (or GRU) over one-hot characters, truncated BPTT over B
                parallel streams of the text, Adam, gradient-norm clipping, a validation split, and
                periodic checkpoints with validation bits per character. --resume continues from the
                checkpoint (same model options required).
                  --text FILE        UTF-8 training text (required)
                  --checkpoint PATH  where checkpoints go (default charlm.safetensors)
                  --resume           continue from --checkpoint if it exists
                  --force            without --resume, replace an existing --checkpoint (refused otherwise)
                  --layers N         recurrent layers (default 2)
                  --hidden N         hidden size (default 512)
                  --cell lstm|gru    (default lstm)
                  --dropout P        between layers (default 0)
                  --seq N            characters per stream per step (default 128)
                  --tbptt N          backpropagation chunk, an update each (default: --seq)
                  --batch N          parallel streams (default 32)
                  --steps N          total steps (default 2000)
                  --lr X             Adam learning rate (default 0.002)
                  --clip X           gradient norm limit (default 5)
                  --val F            validation fraction of the text's tail (default 0.05)
                  --every N          validate and checkpoint every N steps (default 200)
                  --seed N           initialisation seed (default 1)
                  --backend NAME     compute backend (default: the best available)

                sample: continues the prompt.
                  --checkpoint CKPT  a checkpoint written by 'charlm train' (required)
                  --prompt TEXT      text to continue, in the model's vocabulary (required)
                  --length N         characters to generate (default 200)
                  --temperature T    sampling temperature (default 1.0)
                  --top-k K          sample among the K likeliest (default 0: all)
                  --top-p P          nucleus sampling mass (default 1: all)
                  --seed N           sampling seed (default 1)
                  --beam W           beam search of width W instead of sampling
                  --backend NAME     compute backend""";
    }

    @Override
    public int run(Options o, PrintStream out, PrintStream err) {
        List<String> pos = o.positional();
        if (pos.size() != 1 || !(pos.get(0).equals("train") || pos.get(0).equals("sample"))) {
            throw new UsageException("expected 'train' or 'sample', got " + (pos.isEmpty() ? "nothing" : pos));
        }
        return pos.get(0).equals("train") ? train(o, out) : sample(o, out);
    }

    private int train(Options o, PrintStream out) {
        o.allowOnly(Set.of("text", "checkpoint", "resume", "force", "layers", "hidden", "cell", "dropout", "seq", "tbptt",
                "batch", "steps", "lr", "clip", "val", "every", "seed", "backend"));
        String text = o.string("text", null);
        if (text == null) {
            throw new UsageException("--text FILE is required");
        }
        int seq = o.positive("seq", 128);
        int tbptt = o.positive("tbptt", seq);
        if (tbptt > seq) {
            throw new UsageException("--tbptt " + tbptt + " cannot exceed --seq " + seq);
        }
        double val = o.decimal("val", 0.05);
        if (!(val > 0 && val < 1)) {
            throw new UsageException("--val must be in (0, 1), the fraction of the text held out to report "
                    + "validation bits/char, got " + val);
        }
        String cell = o.string("cell", "lstm");
        if (!cell.equals("lstm") && !cell.equals("gru")) {
            throw new UsageException("--cell must be lstm or gru, got '" + cell + "'");
        }
        CharLmConfig requested = new CharLmConfig(4, o.positive("hidden", 512), o.positive("layers", 2), cell,
                o.decimal("dropout", 0), o.integer("seed", 1));
        CharLmTrainer.Settings s = new CharLmTrainer.Settings(o.positive("batch", 32), seq, tbptt,
                o.positive("steps", 2000), o.decimal("lr", 2e-3), o.decimal("clip", 5), o.positive("every", 200),
                100_000);
        Backend backend = BackendChoice.resolve(o.string("backend", null));
        double bpc = CharLmCommand.train(backend, Path.of(text), Path.of(o.string("checkpoint", "charlm.safetensors")),
                requested, s, val, o.flag("resume"), o.flag("force"), out);
        out.printf(Locale.ROOT, "Done: validation %.4f bits/char; checkpoint %s%n", bpc,
                o.string("checkpoint", "charlm.safetensors"));
        return 0;
    }

    private int sample(Options o, PrintStream out) {
        o.allowOnly(Set.of("checkpoint", "prompt", "length", "temperature", "top-k", "top-p", "seed", "beam",
                "backend"));
        String ckpt = o.string("checkpoint", null);
        if (ckpt == null) {
            throw new UsageException("--checkpoint CKPT is required");
        }
        String prompt = o.string("prompt", null);
        if (prompt == null) {
            throw new UsageException("--prompt TEXT is required");
        }
        int length = o.positive("length", 200);
        // Without --beam the command samples; a given width must be a real beam.
        int beam = o.has("beam") ? o.positive("beam", 0) : 0;
        SamplingConfig sc;
        try {
            sc = new SamplingConfig(o.decimal("temperature", 1.0), o.integer("top-k", 0), o.decimal("top-p", 1.0),
                    Seed.of(o.integer("seed", 1)));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Backend backend = BackendChoice.resolve(o.string("backend", null));
        String text = CharLmCommand.sample(backend, Path.of(ckpt), prompt, length, sc, beam);
        out.println(prompt + text);
        return 0;
    }
}
