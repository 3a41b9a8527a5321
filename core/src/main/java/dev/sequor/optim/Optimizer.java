package dev.sequor.optim;

import dev.sequor.core.Grad;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Updates a fixed list of parameters from their gradients, as PyTorch's {@code torch.optim.Optimizer}:
 * after {@code loss.backward()}, {@link #step()} changes every parameter that has a gradient, in place;
 * {@link #zeroGrad()} then drops the gradients for the next step. Parameters without a gradient are
 * skipped (their state and step count do not advance).
 *
 * <p>The learning rate {@code lr} is read at every step, so a schedule ({@link LrScheduler}) may change
 * it between steps. Per-parameter state (moments, step counts) is created on the parameter's first
 * update, outside any {@link Scope}, so a training step's scope never frees it; each update runs with
 * gradients disabled inside a scope of its own, so a step leaves no new buffers behind.
 *
 * <p>{@link #stateDict()} and {@link #loadStateDict(State)} save and restore that state by parameter
 * name, so training resumes from a checkpoint exactly.
 *
 * <p>Not thread-safe: one training loop drives an optimizer.
 */
public abstract class Optimizer {

    /**
     * An optimizer's saveable state.
     *
     * @param tensors per-parameter buffers under {@code <parameter name>.<buffer name>}
     *                ({@code weight.exp_avg}); these are the optimizer's own tensors, not copies
     * @param scalars {@code lr} and each updated parameter's {@code <parameter name>.step} (the number of
     *                updates it has had)
     */
    public record State(Map<String, Tensor> tensors, Map<String, Double> scalars) {
        /** Copies the maps (not the tensors) and makes them unmodifiable, in their iteration order. */
        public State {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            scalars = Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
        }
    }

    private final List<String> names;
    private final List<Tensor> params;
    private final List<Map<String, Tensor>> buffers;
    private final long[] steps;
    private double lr;

    /**
     * @param params the parameters by name (a {@link Module#namedParameters()}); names key the state dict
     * @param lr     the initial learning rate
     */
    protected Optimizer(Map<String, Tensor> params, double lr) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters to optimize");
        }
        this.names = List.copyOf(params.keySet());
        this.params = List.copyOf(params.values());
        this.buffers = new ArrayList<>();
        for (int i = 0; i < this.params.size(); i++) {
            Tensor p = this.params.get(i);
            if (!p.isLeaf()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + names.get(i)
                        + "' is not a leaf tensor (it was computed by a recorded op); optimize leaves only");
            }
            buffers.add(new LinkedHashMap<>());
        }
        this.steps = new long[this.params.size()];
        setLr(lr);
    }

    /** @return parameters named {@code "0"}, {@code "1"}, ... in list order (PyTorch's numbering) */
    protected static Map<String, Tensor> numbered(List<Tensor> params) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            m.put(Integer.toString(i), params.get(i));
        }
        return m;
    }

    /** @return the current learning rate */
    public double lr() {
        return lr;
    }

    /** Sets the learning rate used from the next {@link #step()} on (schedules call this). */
    public void setLr(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be finite and >= 0, got "
                    + value);
        }
        this.lr = value;
    }

    /** @return the parameters, in order */
    public List<Tensor> parameters() {
        return params;
    }

    /** @return the parameter names, in order */
    public List<String> parameterNames() {
        return names;
    }

    /** Updates every parameter that has a gradient, in place, with gradients disabled. */
    public void step() {
        try (Grad g = Grad.disabled()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                if (!Arrays.equals(grad.shape(), p.shape())) {
                    throw new IllegalStateException(getClass().getSimpleName() + ": gradient of '" + names.get(i)
                            + "' has shape " + Arrays.toString(grad.shape()) + ", parameter " + Arrays.toString(p.shape()));
                }
                try (Scope s = Tensor.scope()) {
                    steps[i]++;
                    update(i, p, grad, steps[i]);
                }
            }
        }
    }

    /**
     * Applies one update to parameter {@code index} in place. Runs with gradients disabled inside a
     * scope that frees every temporary on return.
     *
     * @param step this parameter's update count, 1 on its first update
     */
    protected abstract void update(int index, Tensor param, Tensor grad, long step);

    /** @return the buffer names this optimizer keeps per parameter (what {@link #loadStateDict} accepts) */
    protected abstract Set<String> bufferNames();

    /**
     * @return the buffers every parameter that has been updated holds with these hyperparameters (a
     *         subset of {@link #bufferNames()}); {@link #loadStateDict} rejects a state that gives a
     *         parameter a step count or any buffer but lacks one of these. None by default.
     */
    protected Set<String> requiredBufferNames() {
        return Set.of();
    }

    /** Drops every parameter's gradient (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    /** @return parameter {@code index}'s buffer {@code name}, or null before it was created */
    protected final Tensor buffer(int index, String name) {
        return buffers.get(index).get(name);
    }

    /**
     * Creates parameter {@code index}'s buffer {@code name} as an unscoped copy of {@code init}, which
     * outlives every step scope.
     *
     * @return the new buffer
     */
    protected final Tensor createBuffer(int index, String name, Tensor init) {
        Tensor b = Scope.unscoped(() -> Tensor.zeros(params.get(index).backend(), init.shape()).assign(init));
        Tensor old = buffers.get(index).put(name, b);
        if (old != null) {
            old.close();
        }
        return b;
    }

    /** @return the state to save: buffers by {@code <param>.<buffer>}, {@code lr} and step counts */
    public State stateDict() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("lr", lr);
        for (int i = 0; i < params.size(); i++) {
            if (steps[i] > 0) {
                scalars.put(names.get(i) + ".step", (double) steps[i]);
            }
            for (Map.Entry<String, Tensor> e : buffers.get(i).entrySet()) {
                tensors.put(names.get(i) + "." + e.getKey(), e.getValue());
            }
        }
        return new State(tensors, scalars);
    }

    /**
     * Replaces this optimizer's state with {@code state} (values are copied). Everything is checked
     * first, so a bad state leaves the optimizer untouched. A parameter absent from the state starts
     * afresh (no buffers, step 0), as it would in a new optimizer.
     *
     * @throws IllegalArgumentException naming every unknown key, unknown parameter, mis-shaped buffer
     *                                  or bad step count
     */
    public void loadStateDict(State state) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        List<String> problems = new ArrayList<>();
        Map<Integer, Map<String, Tensor>> newBuffers = checkTensors(state, index, problems);
        long[] newSteps = new long[params.size()];
        Double newLr = checkScalars(state, index, newSteps, problems);
        checkComplete(newBuffers, newSteps, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: " + String.join("; ", problems));
        }
        try (Scope s = Tensor.scope()) {
            for (int i = 0; i < params.size(); i++) {
                for (Tensor old : buffers.get(i).values()) {
                    old.close();
                }
                buffers.get(i).clear();
                Tensor p = params.get(i);
                for (Map.Entry<String, Tensor> e : newBuffers.getOrDefault(i, Map.of()).entrySet()) {
                    Tensor src = e.getValue();
                    // another backend's tensor comes through the host (the scope frees the temporary)
                    Tensor value = src.backend() == p.backend() ? src
                            : Tensor.of(p.backend(), src.toFloatArray(), (int) src.numel()).reshape(src.shape());
                    createBuffer(i, e.getKey(), value);
                }
                steps[i] = newSteps[i];
            }
        }
        if (newLr != null) {
            setLr(newLr);
        }
    }

    /** @return the state's buffers by parameter index, adding a line to {@code problems} for each bad one */
    private Map<Integer, Map<String, Tensor>> checkTensors(State state, Map<String, Integer> index, List<String> problems) {
        Map<Integer, Map<String, Tensor>> out = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : state.tensors().entrySet()) {
            String key = e.getKey();
            int dot = key.lastIndexOf('.');
            Integer i = dot < 0 ? null : index.get(key.substring(0, dot));
            String buffer = dot < 0 ? key : key.substring(dot + 1);
            if (i == null) {
                problems.add("'" + key + "': no parameter of that name");
            } else if (!bufferNames().contains(buffer)) {
                problems.add("'" + key + "': unknown buffer '" + buffer + "' (expected one of " + bufferNames() + ")");
            } else if (!Arrays.equals(e.getValue().shape(), params.get(i).shape())) {
                problems.add("'" + key + "': expected shape " + Arrays.toString(params.get(i).shape()) + " but got "
                        + Arrays.toString(e.getValue().shape()));
            } else {
                out.computeIfAbsent(i, k -> new LinkedHashMap<>()).put(buffer, e.getValue());
            }
        }
        return out;
    }

    /**
     * Adds a line to {@code problems} for each parameter that has a step count or a buffer in the state
     * but lacks a {@link #requiredBufferNames() required} buffer, naming the missing keys (a partial
     * state would fail, or silently restart a moment, at the next step).
     */
    private void checkComplete(Map<Integer, Map<String, Tensor>> newBuffers, long[] newSteps, List<String> problems) {
        Set<String> required = requiredBufferNames();
        for (int i = 0; i < params.size(); i++) {
            Map<String, Tensor> given = newBuffers.getOrDefault(i, Map.of());
            if (newSteps[i] == 0 && given.isEmpty()) {
                continue; // starts afresh
            }
            List<String> missing = new ArrayList<>();
            for (String b : new TreeSet<>(required)) {
                if (!given.containsKey(b)) {
                    missing.add("'" + names.get(i) + "." + b + "'");
                }
            }
            if (!missing.isEmpty()) {
                problems.add("missing " + String.join(", ", missing) + " for parameter '" + names.get(i)
                        + "' (state has " + (newSteps[i] > 0 ? "step " + newSteps[i] : "no step")
                        + " and buffers " + new TreeSet<>(given.keySet()) + "; expected all of "
                        + new TreeSet<>(required) + ")");
            }
        }
    }

    /** Fills {@code steps} from the state; @return its learning rate, or null if it has none */
    private Double checkScalars(State state, Map<String, Integer> index, long[] steps, List<String> problems) {
        Double lrFound = null;
        for (Map.Entry<String, Double> e : state.scalars().entrySet()) {
            String key = e.getKey();
            double v = e.getValue();
            if (key.equals("lr")) {
                lrFound = v;
                if (!(v >= 0) || Double.isInfinite(v)) {
                    problems.add("'lr': must be finite and >= 0, got " + v);
                }
                continue;
            }
            Integer i = key.endsWith(".step") ? index.get(key.substring(0, key.length() - 5)) : null;
            if (i == null) {
                problems.add("'" + key + "': unknown scalar (expected 'lr' or '<parameter>.step')");
            } else if (!(v >= 0) || v != Math.rint(v)) {
                problems.add("'" + key + "': step count must be a whole number >= 0, got " + v);
            } else {
                steps[i] = (long) v;
            }
        }
        return lrFound;
    }
}
