package dev.sequor.train;

import dev.sequor.core.Grad;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.io.TensorData;
import dev.sequor.nn.Module;
import dev.sequor.optim.Clip;
import dev.sequor.optim.LrScheduler;
import dev.sequor.optim.Optimizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The training loop, as Keras' {@code fit}/{@code evaluate}/{@code predict}. Each training step runs
 * inside its own {@link Tensor#scope()}:
 * {@code zeroGrad; p = forward(batch); L = loss(p); dL/dtheta by backward;
 * g <- g min(1, maxNorm / ||g||_2); optimizer.step(); schedule.step()}, and every {@code validateEvery}
 * steps (and at the end) the training metrics since the last report and the validation metrics are
 * recorded as a {@link History} row and passed to the {@link Callback}s.
 *
 * <p>With {@link #tbptt truncated BPTT} a batch is a long sequence run in chunks of {@code k} steps, an
 * update per chunk, each chunk starting from the previous chunk's recurrent state <em>detached</em>
 * (Williams and Peng 1990, k1 = k2 = k). {@link #teacherForcing} gives the forward pass a per-step
 * teacher-forcing probability for scheduled sampling. {@link #save}/{@link #resume} store and restore
 * the model, the optimizer state, the carried state and the position in the data, so a resumed run
 * takes exactly the steps the unbroken run would have taken.
 *
 * <p>Not thread-safe: one thread drives a trainer.
 *
 * @param <B> the batch type
 */
public final class Trainer<B> {

    /** A forward pass: the model's output for a batch, and its targets. */
    @FunctionalInterface
    public interface Forward<B> {
        /** @return the output and targets of {@code batch}, computed inside the step's scope */
        Prediction apply(B batch, StepInfo info);
    }

    /** A loss: a scalar tensor from a prediction. */
    @FunctionalInterface
    public interface LossFunction {
        /** @return the mean loss per counted target, a scalar */
        Tensor apply(Prediction prediction);
    }

    private final Module model;
    private final Forward<B> forward;
    private final ChunkForward<B> chunkForward;
    private final ToIntFunction<B> lengthOf;
    private final int chunk;
    private final boolean carryAcross;
    private Optimizer optimizer;
    private LrScheduler schedule;
    private LossFunction loss = Prediction::defaultLoss;
    private double clipNorm = Double.POSITIVE_INFINITY;
    private final List<Metric> metrics = new ArrayList<>(List.of(Metrics.loss()));
    private final List<Callback> callbacks = new ArrayList<>();
    private EpochSource<B> validation;
    private int validateEvery;
    private TeacherForcing teacher = TeacherForcing.always();
    private long seed;
    private int maxSteps = Integer.MAX_VALUE;
    private Path checkpoint;
    private int checkpointEvery;
    final TrainState state = new TrainState();
    private History history = new History();
    private boolean stop;
    private int planned = -1;

    private Trainer(Module model, Forward<B> forward, ChunkForward<B> chunkForward, ToIntFunction<B> lengthOf,
                    int chunk, boolean carryAcross) {
        this.model = model;
        this.forward = forward;
        this.chunkForward = chunkForward;
        this.lengthOf = lengthOf;
        this.chunk = chunk;
        this.carryAcross = carryAcross;
    }

    /**
     * A trainer of {@code modules} (one model, or its parts: an encoder and a head).
     *
     * @param forward the forward pass of a batch
     */
    public static <B> Trainer<B> of(Forward<B> forward, Module... modules) {
        return new Trainer<>(group(modules), forward, null, null, 0, false);
    }

    /**
     * A trainer with truncated BPTT: each batch is run in chunks of {@code k} time steps, an update
     * per chunk, the state detached between chunks.
     *
     * @param k                  time steps per chunk, &gt;= 1; the last chunk may be shorter
     * @param lengthOf           the number of time steps {@code T} of a batch
     * @param carryAcrossBatches true to carry the state on to the next batch (streams cut into
     *                           consecutive windows, as a character LM); it restarts from zeros each epoch
     */
    public static <B> Trainer<B> tbptt(int k, ToIntFunction<B> lengthOf, ChunkForward<B> forward,
                                       boolean carryAcrossBatches, Module... modules) {
        if (k < 1) {
            throw new IllegalArgumentException("Trainer.tbptt: chunk length k must be >= 1, got " + k);
        }
        return new Trainer<>(group(modules), null, forward, lengthOf, k, carryAcrossBatches);
    }

    private static Module group(Module... modules) {
        if (modules.length == 0) {
            throw new IllegalArgumentException("Trainer: give the model's modules");
        }
        return modules.length == 1 ? modules[0] : new ModuleGroup(modules);
    }

    /** Uses {@code factory(model)} as the optimizer. @return this */
    public Trainer<B> optimizer(Function<Module, Optimizer> factory) {
        this.optimizer = factory.apply(model);
        return this;
    }

    /** Uses a learning-rate schedule built on the optimizer, stepped after every training step. @return this */
    public Trainer<B> schedule(Function<Optimizer, LrScheduler> factory) {
        this.schedule = factory.apply(requireOptimizer());
        return this;
    }

    /** Replaces the default loss ({@link Prediction#defaultLoss()}: the forward pass's own, else cross-entropy). @return this */
    public Trainer<B> loss(LossFunction value) {
        this.loss = value;
        return this;
    }

    /** Clips the global L2 norm of the gradients to {@code maxNorm} before each update. @return this */
    public Trainer<B> clipGradNorm(double maxNorm) {
        this.clipNorm = maxNorm;
        return this;
    }

    /** Adds metrics beside {@code loss}, for training and validation alike. @return this */
    public Trainer<B> metrics(Metric... values) {
        metrics.addAll(List.of(values));
        return this;
    }

    /** Validates on {@code data} every {@code everySteps} steps (and at the end of fit). @return this */
    public Trainer<B> validation(EpochSource<B> data, int everySteps) {
        this.validation = data;
        return reportEvery(everySteps);
    }

    /** Validates on the same batches each time. @return this */
    public Trainer<B> validation(Iterable<B> data, int everySteps) {
        return validation(e -> data, everySteps);
    }

    /** Records a history row every {@code everySteps} steps, with or without validation data. @return this */
    public Trainer<B> reportEvery(int everySteps) {
        if (everySteps < 1) {
            throw new IllegalArgumentException("Trainer.reportEvery: everySteps must be >= 1, got " + everySteps);
        }
        this.validateEvery = everySteps;
        return this;
    }

    /** Adds callbacks, called in order. @return this */
    public Trainer<B> callbacks(Callback... values) {
        callbacks.addAll(List.of(values));
        return this;
    }

    /** Sets the teacher-forcing schedule handed to the forward pass as {@link StepInfo#teacherProb()}. @return this */
    public Trainer<B> teacherForcing(TeacherForcing value) {
        this.teacher = value;
        return this;
    }

    /** Seeds the per-step random draws of {@link StepInfo#rng()}. @return this */
    public Trainer<B> seed(long value) {
        this.seed = value;
        return this;
    }

    /** Stops after {@code value} completed steps in all (counting steps before a resume). @return this */
    public Trainer<B> maxSteps(int value) {
        this.maxSteps = value;
        return this;
    }

    /** Saves a resumable checkpoint ({@link #save}) every {@code everySteps} steps and at the end. @return this */
    public Trainer<B> checkpoint(Path file, int everySteps) {
        this.checkpoint = file;
        this.checkpointEvery = everySteps;
        return this;
    }

    /** @return the model trained (the modules grouped as {@code "0"}, {@code "1"}, ... when there were several) */
    public Module model() {
        return model;
    }

    /** @return the optimizer */
    public Optimizer optimizerInstance() {
        return requireOptimizer();
    }

    /** @return the completed training steps */
    public int step() {
        return state.step;
    }

    /** @return the current epoch, from 0 */
    public int epoch() {
        return state.epoch;
    }

    /** @return the steps {@code fit} means to run in all when known, else -1 */
    public int plannedSteps() {
        return planned;
    }

    /** @return the history of the current or last {@code fit} */
    public History history() {
        return history;
    }

    /** Asks {@code fit} to stop after the current step (a callback calls this). */
    public void requestStop() {
        stop = true;
    }

    /** Runs {@code epochs} passes over the same batches (see {@link #fit(EpochSource, int)}). @return the history */
    public History fit(Iterable<B> data, int epochs) {
        return fit(e -> data, epochs);
    }

    /**
     * Trains until epoch {@code epochs} is done, {@code maxSteps} steps are done or a callback stops it.
     * A resumed trainer continues where its checkpoint left off.
     *
     * @return the history rows recorded by this call
     */
    public History fit(EpochSource<B> data, int epochs) {
        requireOptimizer();
        history = new History();
        stop = false;
        model.train();
        // a sized epoch tells the progress bar the total; it is reused, not made twice
        Iterable<B> first = state.epoch < epochs ? data.epoch(state.epoch) : List.of();
        long total = first instanceof Collection<?> c
                ? state.step - state.batchInEpoch + (long) c.size() * (epochs - state.epoch) : Long.MAX_VALUE;
        planned = Math.min(total, maxSteps) == Integer.MAX_VALUE ? -1 : (int) Math.min(total, maxSteps);
        callbacks.forEach(c -> c.onTrainBegin(this));
        metrics.forEach(Metric::reset);
        int reported = state.step;
        int firstEpoch = state.epoch;
        outer:
        for (; state.epoch < epochs; state.epoch++, state.batchInEpoch = 0) {
            if (state.batchInEpoch == 0) {
                state.closeCarry();
            }
            int index = 0;
            for (B b : state.epoch == firstEpoch ? first : data.epoch(state.epoch)) {
                if (index++ < state.batchInEpoch) {
                    continue;                                   // done before the checkpoint
                }
                if (state.step >= maxSteps || stop) {
                    break outer;
                }
                double[] lossAndCount = trainStep(b);
                state.batchInEpoch++;
                state.step++;
                if (schedule != null) {
                    schedule.step();
                }
                for (Callback c : callbacks) {
                    c.onStepEnd(this, state.step, lossAndCount[0], (long) lossAndCount[1]);
                }
                if (validateEvery > 0 && state.step % validateEvery == 0) {
                    report();
                    reported = state.step;
                }
                if (checkpoint != null && state.step % checkpointEvery == 0) {
                    save(checkpoint);
                }
            }
        }
        if (reported != state.step) {
            report();
        }
        if (checkpoint != null) {
            save(checkpoint);
        }
        callbacks.forEach(c -> c.onTrainEnd(this, history));
        return history;
    }

    /** @return {mean loss per counted target, counted targets} of one training step */
    private double[] trainStep(B b) {
        StepInfo info = new StepInfo(state.step, state.epoch, true, teacher.probability(state.step), rng(state.step));
        if (chunkForward == null) {
            try (Scope s = Tensor.scope()) {
                optimizer.zeroGrad();
                Prediction p = forward.apply(b, info);
                return update(p);
            }
        }
        if (!carryAcross) {
            state.closeCarry();
        }
        double[] sum = new double[2];
        state.carry = chunks(b, state.carry, info, true, p -> {
            double[] ln = update(p);
            sum[0] += ln[0] * ln[1];
            sum[1] += ln[1];
        });
        if (!carryAcross) {
            state.closeCarry();
        }
        return new double[] {sum[0] / sum[1], sum[1]};
    }

    /**
     * Runs {@code b} chunk by chunk from {@code carry}, each chunk in its own scope, handing its
     * prediction to {@code use}; the previous state is closed once the next one is detached.
     *
     * @return the state after the last chunk, detached and outside every scope
     */
    private List<Tensor> chunks(B b, List<Tensor> carry, StepInfo info, boolean train,
                                Consumer<Prediction> use) {
        int t = lengthOf.applyAsInt(b);
        for (int start = 0; start < t; start += chunk) {
            List<Tensor> next;
            try (Scope s = Tensor.scope()) {
                if (train) {
                    optimizer.zeroGrad();
                }
                ChunkForward.Chunk c = chunkForward.apply(b, start, Math.min(chunk, t - start), carry, info);
                use.accept(c.prediction());
                next = detached(c.state());
            }
            TrainState.close(carry);
            carry = next;
        }
        return carry;
    }

    private double[] update(Prediction p) {
        Tensor l = loss.apply(p);
        l.backward();
        if (!Double.isInfinite(clipNorm)) {
            Clip.clipGradNorm(optimizer.parameters(), clipNorm, 2.0);
        }
        optimizer.step();
        double value = l.item();
        long counted = p.counted();
        for (Metric m : metrics) {
            m.update(p, value, counted);
        }
        return new double[] {value, counted};
    }

    private static List<Tensor> detached(List<Tensor> state) {
        List<Tensor> out = new ArrayList<>(state.size());
        for (Tensor t : state) {
            out.add(Scope.unscoped(t::detach));   // outlives the chunk's scope; closed when replaced
        }
        return out;
    }

    private void report() {
        Map<String, Double> row = new LinkedHashMap<>();
        metrics.forEach(m -> row.put(m.name(), m.value()));
        if (validation != null) {
            evaluate(validation.epoch(0)).forEach((k, v) -> row.put("val_" + k, v));
        }
        metrics.forEach(Metric::reset);
        history.add(new History.Row(state.step, state.epoch, optimizer.lr(), row));
        for (Callback c : callbacks) {
            c.onValidation(this, state.step, row);
        }
    }

    /**
     * Scores the model on {@code data} in eval mode without gradients (the training metrics are left as
     * they were only if called between reports, as {@code fit} does).
     *
     * @return every metric by name ({@code loss}, ...)
     */
    public Map<String, Double> evaluate(Iterable<B> data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        metrics.forEach(Metric::reset);
        try (Grad g = Grad.disabled()) {
            forEachPrediction(data, p -> {
                double value = loss.apply(p).item();
                long counted = p.counted();
                metrics.forEach(m -> m.update(p, value, counted));
            });
        } finally {
            model.train(wasTraining);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach(m -> out.put(m.name(), m.value()));
        metrics.forEach(Metric::reset);
        return out;
    }

    /**
     * Runs the model over {@code data} in eval mode without gradients.
     *
     * @return the output of each batch (of each chunk with truncated BPTT), copied to the host
     */
    public List<TensorData> predict(Iterable<B> data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        List<TensorData> out = new ArrayList<>();
        try (Grad g = Grad.disabled()) {
            forEachPrediction(data, p -> out.add(TensorData.of(p.output().shape(), p.output().toFloatArray())));
        } finally {
            model.train(wasTraining);
        }
        return out;
    }

    private void forEachPrediction(Iterable<B> data, Consumer<Prediction> use) {
        List<Tensor> carry = null;
        try {
            for (B b : data) {
                StepInfo info = new StepInfo(state.step, state.epoch, false, 1.0, rng(state.step));
                if (chunkForward == null) {
                    try (Scope s = Tensor.scope()) {
                        use.accept(forward.apply(b, info));
                    }
                    continue;
                }
                if (!carryAcross) {
                    carry = TrainState.close(carry);
                }
                carry = chunks(b, carry, info, false, use);
            }
        } finally {
            TrainState.close(carry);
        }
    }

    /** Saves model, optimizer, schedule position, carried state and data position to {@code file}, atomically. */
    public void save(Path file) {
        TrainState.save(file, model, requireOptimizer(), state);
    }

    /**
     * Restores what {@link #save} wrote: model tensors, optimizer state, step, epoch, position in the
     * epoch and carried state; the schedule jumps to the step. @return this
     *
     * @throws IllegalArgumentException if the file is missing, corrupt or does not match the model or optimizer
     */
    public Trainer<B> resume(Path file) {
        TrainState.load(file, model, requireOptimizer(), state);
        if (schedule != null) {
            schedule.setEpoch(state.step);
        }
        return this;
    }

    private SplittableRandom rng(int step) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (step + 1L)));
    }

    private Optimizer requireOptimizer() {
        if (optimizer == null) {
            throw new IllegalStateException("Trainer: set an optimizer first, e.g. .optimizer(m -> new Adam(m, "
                    + "AdamConfig.adam(1e-3)))");
        }
        return optimizer;
    }
}
