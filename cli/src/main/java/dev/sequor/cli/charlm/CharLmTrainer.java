package dev.sequor.cli.charlm;

import dev.sequor.cli.io.Checkpoint;
import dev.sequor.cli.text.Vocabulary;
import dev.sequor.train.Progress;
import dev.sequor.core.Grad;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.io.Json;
import dev.sequor.io.TensorData;
import dev.sequor.nn.Losses;
import dev.sequor.nn.Reduction;
import dev.sequor.nn.recurrent.RecurrentOutput;
import dev.sequor.nn.recurrent.RecurrentState;
import dev.sequor.nn.recurrent.TruncatedBptt;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import dev.sequor.optim.Clip;
import dev.sequor.optim.Optimizer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a {@link CharLm}: each step takes the next window of {@code seq} characters from each of
 * B streams, runs truncated BPTT over it in chunks of {@code tbptt} (an Adam update per chunk,
 * gradients clipped to a global norm), and carries the detached state to the next window.
 * Every {@code every} steps (and at the end) it reports validation bits per character and saves a
 * checkpoint with the optimizer state, from which training resumes.
 */
public final class CharLmTrainer {

    /** Metadata key of the number of completed steps. */
    static final String STEP = "sequor.step";
    /** Metadata key of the optimizer's scalar state (JSON). */
    static final String OPTIM_SCALARS = "sequor.optim.scalars";
    /** Name prefix of optimizer tensors in the checkpoint. */
    static final String OPTIM_PREFIX = "optim.";

    /**
     * Training options.
     *
     * @param batch streams B
     * @param seq   characters per stream per step
     * @param tbptt backpropagation chunk length, at most {@code seq}
     * @param steps total steps (a resumed run continues to this count)
     * @param lr    Adam learning rate
     * @param clip  global gradient-norm limit
     * @param every validation and checkpoint period in steps
     * @param valChars at most this many validation characters are scored
     */
    public record Settings(int batch, int seq, int tbptt, int steps, double lr, double clip, int every, int valChars) {
    }

    private final CharLm model;
    private final Vocabulary vocab;
    private final CharLmData data;
    private final Settings s;
    private final Adam opt;
    private final Path checkpoint;
    private int step;

    CharLmTrainer(CharLm model, Vocabulary vocab, CharLmData data, Settings settings, Path checkpoint) {
        this.model = model;
        this.vocab = vocab;
        this.data = data;
        this.s = settings;
        this.checkpoint = checkpoint;
        this.opt = new Adam(model, AdamConfig.adam(settings.lr()));
    }

    /** Restores the optimizer state and step count saved by {@link #save}. */
    void resume(Checkpoint.Loaded ckpt) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ckpt.tensors().forEach((k, d) -> {
            if (k.startsWith(OPTIM_PREFIX)) {
                tensors.put(k.substring(OPTIM_PREFIX.length()), Tensor.of(model.backend(), d.data(), d.shape()));
            }
        });
        Map<String, Double> scalars = new LinkedHashMap<>();
        Object parsed = Json.parse(ckpt.metadata().getOrDefault(OPTIM_SCALARS, "{}"));
        if (parsed instanceof Map<?, ?> m) {
            m.forEach((k, v) -> scalars.put((String) k, ((Number) v).doubleValue()));
        }
        opt.loadStateDict(new Optimizer.State(tensors, scalars));
        opt.setLr(s.lr());
        step = Integer.parseInt(ckpt.metadata().getOrDefault(STEP, "0"));
    }

    /** @return the completed steps */
    int step() {
        return step;
    }

    /** Trains up to {@code settings.steps}, reporting to {@code out}. @return the last validation bpc */
    double train(PrintStream out) {
        data.checkSize(s.batch(), s.seq());
        int windows = data.windows(s.batch(), s.seq());
        Progress progress = new Progress(out, Progress.stdoutIsTerminal(), s.steps(), 5.0).resumedAfter(step);
        TruncatedBptt tbptt = new TruncatedBptt(model.rnn(), s.tbptt());
        RecurrentState carried = null;
        double bpc = Double.NaN;
        model.train();
        while (step < s.steps()) {
            int w = step % windows;
            if (w == 0 && carried != null) {
                close(carried);
                carried = null;                        // a new pass over the streams starts from zeros
            }
            int[][][] win = data.window(s.batch(), s.seq(), w);
            float loss;
            RecurrentState[] last = new RecurrentState[1];
            try (Scope scope = Tensor.scope()) {
                Tensor x = model.oneHot(win[0]);       // (B, seq, V)
                Tensor y = targets(win[1]);            // (B, seq)
                float[] losses = tbptt.train(x, carried, (RecurrentOutput o, int start) -> {
                    int len = o.output().size(1);
                    Tensor logits = model.logits(o.output());      // (B, len, V)
                    if (start + len == s.seq()) {
                        // keep the window's final state for the next window, outside every scope
                        last[0] = Scope.unscoped(() -> o.state().detach());
                    }
                    return Losses.crossEntropy(logits.reshape(s.batch() * len, vocab.size()),
                            y.narrow(1, start, len).reshape(s.batch() * len), Losses.DEFAULT_IGNORE_INDEX,
                            Reduction.MEAN, 0f);
                }, start -> {
                    Clip.clipGradNorm(model.parameters(), s.clip(), 2.0);
                    opt.step();
                    opt.zeroGrad();
                });
                float sum = 0;
                for (float l : losses) {
                    sum += l;
                }
                loss = sum / losses.length;
            }
            close(carried);
            carried = last[0];
            step++;
            progress.update(step, loss / Math.log(2), (long) s.batch() * s.seq());
            if (step % s.every() == 0 || step == s.steps()) {
                bpc = validate();
                save();
                progress.note(String.format(Locale.ROOT, "step %d: validation %.4f bits/char; checkpoint %s", step, bpc,
                        checkpoint));
            }
        }
        return bpc;
    }

    private static void close(RecurrentState st) {
        if (st != null) {
            st.h().close();
            if (st.c() != null) {
                st.c().close();
            }
        }
    }

    private Tensor targets(int[][] ids) {
        int b = ids.length;
        int t = ids[0].length;
        float[] f = new float[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                f[i * t + j] = ids[i][j];
            }
        }
        return Tensor.of(model.backend(), f, b, t);
    }

    /** @return mean bits per character of the model on the validation text (or NaN if there is none) */
    double validate() {
        int[] val = data.val();
        int n = Math.min(val.length - 1, s.valChars());
        if (n < 1) {
            return Double.NaN;
        }
        int streams = Math.max(1, Math.min(s.batch(), n / Math.max(1, s.seq())));
        int len = n / streams;
        double nats = 0;
        long count = 0;
        model.eval();
        try (Grad g = Grad.disabled()) {
            // Not RecurrentStream: it keeps its state in the caller's scope, which a per-chunk scope
            // would close; the carried state lives outside every scope here instead.
            RecurrentState state = null;
            for (int start = 0; start < len; start += s.seq()) {
                int t = Math.min(s.seq(), len - start);
                int[][] in = new int[streams][t];
                int[][] out = new int[streams][t];
                for (int b = 0; b < streams; b++) {
                    System.arraycopy(val, b * len + start, in[b], 0, t);
                    System.arraycopy(val, b * len + start + 1, out[b], 0, t);
                }
                try (Scope scope = Tensor.scope()) {
                    RecurrentOutput o = model.run(in, state);
                    Tensor logits = model.logits(o.output());
                    Tensor l = Losses.crossEntropy(logits.reshape(streams * t, vocab.size()),
                            targets(out).reshape(streams * t), Losses.DEFAULT_IGNORE_INDEX, Reduction.SUM, 0f);
                    nats += l.item();
                    count += (long) streams * t;
                    close(state);
                    state = Scope.unscoped(() -> o.state().detach());
                }
            }
            close(state);
        } finally {
            model.train();
        }
        return nats / count / Math.log(2);
    }

    /** Saves the model, the optimizer state and the step count to the checkpoint path, atomically. */
    void save() {
        Map<String, TensorData> tensors = new LinkedHashMap<>(model.stateData());
        Optimizer.State st = opt.stateDict();
        st.tensors().forEach((k, t) -> tensors.put(OPTIM_PREFIX + k, TensorData.of(t.shape(), t.toFloatArray())));
        Map<String, Object> scalars = new LinkedHashMap<>(st.scalars());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(STEP, Integer.toString(step));
        meta.put(OPTIM_SCALARS, Json.write(scalars));
        Checkpoint.save(checkpoint, "charlm", model.config().toJson(), vocab, tensors, meta);
    }

    /** @return the model tensors of a charlm checkpoint, without optimizer state */
    static Map<String, TensorData> modelTensors(Checkpoint.Loaded ckpt) {
        Map<String, TensorData> m = new LinkedHashMap<>();
        ckpt.tensors().forEach((k, d) -> {
            if (!k.startsWith(OPTIM_PREFIX)) {
                m.put(k, d);
            }
        });
        return m;
    }
}
