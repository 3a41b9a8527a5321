package dev.sequor.nn;

import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.io.TensorData;
import dev.sequor.spi.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A building block of a model: named parameters (trained), named buffers (state such as running
 * statistics, saved but not trained) and named submodules, as in PyTorch's {@code nn.Module}.
 * Names join with dots ({@code encoder.layers.0.self_attn.in_proj_weight}), so a state dict has the
 * same keys as the equivalent PyTorch model.
 *
 * <p>Parameters and buffers are created outside any {@link Scope}, so a training step's scope never
 * frees them. {@link #train()} and {@link #eval()} switch behaviour such as dropout for the whole tree.
 */
public abstract class Module {

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    /** Names of the buffers saved as I64. */
    private final Set<String> integerBuffers = new HashSet<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Backend backend;
    private boolean training = true;

    /** A module on the session backend ({@link Backends#get()}). */
    protected Module() {
        this(Backends.get());
    }

    /** A module whose parameters live on {@code backend}. */
    protected Module(Backend backend) {
        this.backend = backend;
    }

    /** @return the backend this module's parameters live on */
    public Backend backend() {
        return backend;
    }

    /**
     * Registers a trainable parameter that shares {@code init}'s storage (as PyTorch's
     * {@code nn.Parameter(t)} does), held outside any scope, with no history, requiring gradients.
     * Closing {@code init} afterwards does not free the parameter.
     *
     * @return the parameter tensor to use in {@code forward}
     */
    protected Tensor registerParameter(String name, Tensor init) {
        checkName(name);
        Tensor p = adopt(init);
        p.requiresGrad(true);
        parameters.put(name, p);
        return p;
    }

    /** Registers non-trained state (e.g. running mean) that belongs in the state dict. @return it */
    protected Tensor registerBuffer(String name, Tensor init) {
        checkName(name);
        Tensor b = adopt(init);
        buffers.put(name, b);
        return b;
    }

    /**
     * Registers a buffer whose values are integers, such as a count of batches: it is computed with as a
     * float tensor, and saved as a 64-bit integer ({@link dev.sequor.io.DType#I64}), as PyTorch saves its
     * {@code torch.long} buffers, so a state dict moves between the two with no conversion (exact up to
     * {@code 2^24}, the largest integer every float32 below it holds). @return it
     */
    protected Tensor registerIntegerBuffer(String name, Tensor init) {
        Tensor b = registerBuffer(name, init);
        integerBuffers.add(name);
        return b;
    }

    /** Registers a submodule under {@code name}. @return the module */
    protected <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private Tensor adopt(Tensor init) {
        if (init.backend() != backend) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": initial value lives on backend '"
                    + init.backend().name() + "' but the module's backend is '" + backend.name() + "'");
        }
        return Scope.unscoped(init::detach);
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module member names are non-empty and dot-free, got '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    /** @return every parameter of this module and its submodules, by dotted name, in registration order */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true, false);
        return out;
    }

    /** @return every parameter, in the order of {@link #namedParameters()} */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** @return this module's own parameters by name, without those of its submodules */
    Map<String, Tensor> ownParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * @return a table of the module tree, one row per module with its type, its own parameters' shapes
     *         and its subtree's parameter count, then the totals (as Keras' {@code model.summary()})
     */
    public String summary() {
        return ModuleSummary.of(this);
    }

    /** @return the direct submodules by name */
    public Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** @return parameters and buffers by dotted name: what a checkpoint saves */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true, true);
        return out;
    }

    /**
     * @return {@link #stateDict()} copied to host data in the types a checkpoint stores: float32, and I64
     *         for buffers registered with {@link #registerIntegerBuffer}
     */
    public Map<String, TensorData> stateData() {
        Map<String, TensorData> out = new LinkedHashMap<>();
        collectData("", out);
        return out;
    }

    private void collectData(String prefix, Map<String, TensorData> out) {
        parameters.forEach((k, v) -> out.put(prefix + k, TensorData.of(v.shape(), v.toFloatArray())));
        buffers.forEach((k, v) -> {
            float[] values = v.toFloatArray();
            if (integerBuffers.contains(k)) {
                long[] ints = new long[values.length];
                for (int i = 0; i < values.length; i++) {
                    ints[i] = Math.round((double) values[i]);
                }
                out.put(prefix + k, TensorData.ofInt64(v.shape(), ints));
            } else {
                out.put(prefix + k, TensorData.of(v.shape(), values));
            }
        });
        children.forEach((k, m) -> m.collectData(prefix + k + ".", out));
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean params, boolean bufs) {
        if (params) {
            parameters.forEach((k, v) -> out.put(prefix + k, v));
        }
        if (bufs) {
            buffers.forEach((k, v) -> out.put(prefix + k, v));
        }
        children.forEach((k, m) -> m.collect(prefix + k + ".", out, params, bufs));
    }

    /**
     * Copies values into this module's parameters and buffers by name. All keys and shapes are
     * checked before anything is copied, so a mismatch leaves the module untouched.
     *
     * @param strict when true, missing and unexpected keys are errors; when false they are ignored
     * @throws IllegalArgumentException naming every missing, unexpected or mis-shaped key
     */
    public void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                if (strict) {
                    problems.add("missing key '" + e.getKey() + "' (expected shape " + Arrays.toString(e.getValue().shape()) + ")");
                }
            } else if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                problems.add("'" + e.getKey() + "': expected shape " + Arrays.toString(e.getValue().shape())
                        + " but got " + Arrays.toString(src.shape()));
            }
        }
        if (strict) {
            for (String k : new TreeSet<>(state.keySet())) {
                if (!own.containsKey(k)) {
                    problems.add("unexpected key '" + k + "'");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict into " + getClass().getSimpleName() + ": "
                    + String.join("; ", problems));
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null) {
                Tensor value = src.backend() == backend ? src : Tensor.of(backend, src.toFloatArray(), src.shape());
                e.getValue().assign(value);
            }
        }
    }

    /** Puts this module and all submodules in training mode. @return this */
    public Module train() {
        return train(true);
    }

    /** Puts this module and all submodules in evaluation mode (no dropout, running statistics). @return this */
    public Module eval() {
        return train(false);
    }

    /** Sets training mode on the whole tree. @return this */
    public Module train(boolean on) {
        training = on;
        for (Module m : children.values()) {
            m.train(on);
        }
        return this;
    }

    /** @return whether this module is in training mode */
    public boolean isTraining() {
        return training;
    }

    /** Drops the gradients of every parameter. */
    public void zeroGrad() {
        for (Tensor p : parameters()) {
            p.zeroGrad();
        }
    }

    /** @return the total number of trainable scalars */
    public long parameterCount() {
        long n = 0;
        for (Tensor p : parameters()) {
            n += p.numel();
        }
        return n;
    }
}
