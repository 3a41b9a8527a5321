package dev.sequor.cli.charlm;

import dev.sequor.cli.io.Checkpoint;
import dev.sequor.cli.text.Vocabulary;
import dev.sequor.core.Tensor;
import dev.sequor.io.Json;
import dev.sequor.io.TensorData;
import dev.sequor.nn.recurrent.RecurrentOutput;
import dev.sequor.nn.recurrent.RecurrentState;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import dev.sequor.optim.Optimizer;
import dev.sequor.train.Callback;
import dev.sequor.train.ChunkForward;
import dev.sequor.train.Metrics;
import dev.sequor.train.MetricsLog;
import dev.sequor.train.Prediction;
import dev.sequor.train.Progress;
import dev.sequor.train.StepInfo;
import dev.sequor.train.Trainer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a {@link CharLm} with the library's loop ({@link Trainer#tbptt}): each step takes the next window
 * of {@code seq} characters from each of B streams, runs truncated BPTT over it in chunks of {@code tbptt}
 * (an Adam update per chunk, gradients clipped to a global norm), and carries the detached state to the
 * next window. Every {@code every} steps (and at the end) it reports validation bits per character, saves a
 * checkpoint with the optimizer state, from which training resumes, and rewrites the run's metrics as CSV
 * and a loss-curve PNG beside the checkpoint.
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

    /**
     * Trains up to {@code settings.steps} with the library's truncated-BPTT loop ({@link Trainer#tbptt}, the
     * state carried from window to window and reset at each pass over the streams), reporting to {@code out}:
     * every {@code every} steps of this run (and at its end) it scores the validation text, saves the
     * checkpoint and rewrites the metrics CSV and loss-curve PNG beside it ({@link #metricsFiles}).
     *
     * @return the last validation bits per character (NaN if there is no validation text)
     */
    double train(PrintStream out) {
        data.checkSize(s.batch(), s.seq());
        int windows = data.windows(s.batch(), s.seq());
        int first = step;
        Progress progress = new Progress(out, Progress.stdoutIsTerminal(), s.steps(), 5.0).resumedAfter(first);
        List<int[][][]> val = validationBatches();
        double[] bpc = {Double.NaN};
        Callback report = new Callback() {
            @Override
            public void onStepEnd(Trainer<?> trainer, int done, double loss, long tokens) {
                progress.update(first + done, loss / Math.log(2), (long) s.batch() * s.seq());
            }

            @Override
            public void onValidation(Trainer<?> trainer, int done, Map<String, Double> metrics) {
                step = first + done;
                bpc[0] = metrics.getOrDefault("val_bpc", Double.NaN);
                save();
                progress.note(String.format(Locale.ROOT, "step %d: validation %.4f bits/char; checkpoint %s", step,
                        bpc[0], checkpoint));
            }
        };
        Path[] files = metricsFiles(checkpoint);
        Trainer<int[][][]> trainer = Trainer.tbptt(s.tbptt(), win -> win[0][0].length, this::chunk, true, model)
                .optimizer(m -> opt)
                .clipGradNorm(s.clip())
                .metrics(Metrics.bitsPerChar())
                .maxSteps(s.steps() - first)
                .callbacks(report, new MetricsLog(files[0], files[1], "bpc", "val_bpc"));
        if (val.isEmpty()) {
            trainer.reportEvery(s.every());
        } else {
            trainer.validation(val, s.every());
        }
        // A resumed run starts its first pass at the window after the checkpoint's, from a zero state.
        trainer.fit(e -> windows(e == 0 ? first % windows : 0, windows), Integer.MAX_VALUE);
        return bpc[0];
    }

    /**
     * @param checkpoint the checkpoint path, e.g. {@code runs/lm.safetensors}
     * @return the metrics CSV and loss-curve PNG written beside it ({@code runs/lm.metrics.csv},
     *         {@code runs/lm.loss.png})
     */
    static Path[] metricsFiles(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return new Path[] {checkpoint.resolveSibling(stem + ".metrics.csv"), checkpoint.resolveSibling(stem + ".loss.png")};
    }

    /** @return windows {@code [from, to)} of the training streams, each {inputs [B][seq], targets [B][seq]} */
    private List<int[][][]> windows(int from, int to) {
        List<int[][][]> out = new ArrayList<>(to - from);
        for (int w = from; w < to; w++) {
            out.add(data.window(s.batch(), s.seq(), w));
        }
        return out;
    }

    /** One truncated-BPTT chunk: steps {@code [start, start + len)} of a window from the carried state. */
    private ChunkForward.Chunk chunk(int[][][] win, int start, int len, List<Tensor> carried, StepInfo info) {
        RecurrentState from = carried == null ? null : new RecurrentState(carried.get(0),
                carried.size() > 1 ? carried.get(1) : null);
        RecurrentOutput o = model.run(slice(win[0], start, len), from);
        int b = win[0].length;
        Tensor logits = model.logits(o.output()).reshape(b * len, vocab.size());   // (B * len, V)
        Tensor y = targets(slice(win[1], start, len)).reshape(b * len);
        List<Tensor> state = o.state().c() == null ? List.of(o.state().h()) : List.of(o.state().h(), o.state().c());
        return new ChunkForward.Chunk(Prediction.of(logits, y), state);
    }

    private static int[][] slice(int[][] ids, int start, int len) {
        int[][] out = new int[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Arrays.copyOfRange(ids[i], start, start + len);
        }
        return out;
    }

    /**
     * The validation text as consecutive windows of {@code min(B, n / seq)} parallel streams (at most
     * {@code valChars} characters scored), the state carried from window to window.
     */
    private List<int[][][]> validationBatches() {
        int[] val = data.val();
        int n = Math.min(val.length - 1, s.valChars());
        List<int[][][]> out = new ArrayList<>();
        if (n < 1) {
            return out;
        }
        int streams = Math.max(1, Math.min(s.batch(), n / Math.max(1, s.seq())));
        int len = n / streams;
        for (int start = 0; start < len; start += s.seq()) {
            int t = Math.min(s.seq(), len - start);
            int[][] in = new int[streams][t];
            int[][] next = new int[streams][t];
            for (int b = 0; b < streams; b++) {
                System.arraycopy(val, b * len + start, in[b], 0, t);
                System.arraycopy(val, b * len + start + 1, next[b], 0, t);
            }
            out.add(new int[][][] {in, next});
        }
        return out;
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
