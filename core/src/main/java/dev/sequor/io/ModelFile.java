package dev.sequor.io;

import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.text.Tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A whole model in one safetensors file: its tensors under their state-dict names, and in
 * {@code __metadata__} its kind ({@code sequor.kind}), its configuration as JSON ({@code sequor.config}),
 * its tokenizer as JSON ({@code sequor.tokenizer}, optional) and any further entries the caller adds.
 * Saving is atomic (a temporary file renamed over the target). Loading checks the file, finds the
 * {@link ModelKind}, builds the model from the configuration and copies the tensors in, refusing any
 * missing, unexpected or mis-shaped tensor with one message that names them all; nothing is half loaded.
 */
public final class ModelFile {
    /** Metadata key of the model kind. */
    public static final String KIND = "sequor.kind";
    /** Metadata key of the configuration JSON. */
    public static final String CONFIG = "sequor.config";
    /** Metadata key of the tokenizer JSON. */
    public static final String TOKENIZER = "sequor.tokenizer";

    private static final Map<String, ModelKind> REGISTERED = new ConcurrentHashMap<>();

    /**
     * A model file's content, checked.
     *
     * @param file      where it came from
     * @param kind      the model kind
     * @param config    the configuration JSON
     * @param tokenizer the tokenizer, or null when none was saved
     * @param tensors   every tensor by name
     * @param metadata  every metadata entry
     */
    public record Loaded(Path file, String kind, String config, Tokenizer tokenizer, Map<String, TensorData> tensors,
                         Map<String, String> metadata) {
    }

    /**
     * A model rebuilt from a file.
     *
     * @param model     the working module, on the session backend
     * @param file      the checked file content (configuration, tokenizer, extra metadata)
     */
    public record Model(Module model, Loaded file) {
    }

    private ModelFile() {
    }

    /** Makes {@code kind} known to {@link #load(Path)} in this JVM (besides those found by ServiceLoader). */
    public static void register(ModelKind kind) {
        REGISTERED.put(kind.name(), kind);
    }

    /**
     * Saves {@code model} with its description, atomically.
     *
     * @param tokenizer saved with it, or null
     * @param extra     further metadata (training state such as a step count); may be empty
     * @throws UncheckedIOException naming the file and the OS reason when it cannot be written; an old
     *                              file at {@code file} is then unchanged
     */
    public static void save(Path file, Module model, String kind, String configJson, Tokenizer tokenizer,
                            Map<String, String> extra) {
        Map<String, TensorData> data = model.stateData();
        Map<String, String> meta = new TreeMap<>(extra);
        meta.put(KIND, kind);
        meta.put(CONFIG, configJson);
        if (tokenizer != null) {
            meta.put(TOKENIZER, tokenizer.toJson());
        }
        try {
            SafeTensors.write(file, data, meta);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model file " + file + ": " + e, e);
        }
    }

    /**
     * Reads and checks a model file without building the model.
     *
     * @param expectedKind the kind the caller needs, or null for any
     * @throws IllegalArgumentException for a missing, unreadable or corrupt file, a safetensors file that
     *                                  is not a Sequor model, another kind, or a bad tokenizer
     */
    public static Loaded read(Path file, String expectedKind) {
        SafeTensorsFile f;
        try {
            f = SafeTensors.read(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("model file " + file + " does not exist");
        } catch (SafeTensorsException e) {
            throw new IllegalArgumentException("model file " + file + " is corrupt or not a safetensors file: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read model file " + file + ": " + e, e);
        }
        Map<String, String> meta = f.metadata();
        for (String key : new String[] {KIND, CONFIG}) {
            if (!meta.containsKey(key)) {
                throw new IllegalArgumentException("model file " + file + " is a safetensors file but not a Sequor "
                        + "model: its __metadata__ has no '" + key + "'");
            }
        }
        if (expectedKind != null && !meta.get(KIND).equals(expectedKind)) {
            throw new IllegalArgumentException("model file " + file + " holds a '" + meta.get(KIND) + "' model, not a '"
                    + expectedKind + "' model");
        }
        Tokenizer tok = null;
        if (meta.containsKey(TOKENIZER)) {
            try {
                tok = Tokenizer.fromJson(meta.get(TOKENIZER));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("model file " + file + ": bad tokenizer: " + e.getMessage(), e);
            }
        }
        return new Loaded(file, meta.get(KIND), meta.get(CONFIG), tok, f.tensors(), meta);
    }

    /**
     * Copies a file's tensors into {@code model} (built from the file's configuration), all or nothing.
     *
     * @throws IllegalArgumentException naming every missing, unexpected or mis-shaped tensor
     */
    public static void restore(Loaded loaded, Module model) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        try (var scope = Tensor.scope()) {
            loaded.tensors().forEach((k, d) -> state.put(k, d.toTensor(model.backend())));
            model.loadStateDict(state, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model file " + loaded.file() + " does not match its configuration "
                    + loaded.config() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a whole model: reads and checks the file, builds the model of its kind from its
     * configuration on the session backend, and restores its tensors.
     *
     * @throws IllegalArgumentException as {@link #read} and {@link #restore}, or for a kind no
     *                                  {@link ModelKind} is known for (listing the known kinds)
     */
    public static Model load(Path file) {
        Loaded loaded = read(file, null);
        ModelKind kind = kind(loaded.kind());
        if (kind == null) {
            throw new IllegalArgumentException("model file " + file + " holds a '" + loaded.kind() + "' model, and no "
                    + "ModelKind of that name is registered or on the module path; known: " + knownKinds());
        }
        Module model;
        try {
            model = kind.build(loaded.config());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model file " + file + ": bad '" + loaded.kind() + "' configuration "
                    + loaded.config() + ": " + e.getMessage(), e);
        }
        restore(loaded, model);
        return new Model(model, loaded);
    }

    private static ModelKind kind(String name) {
        ModelKind k = REGISTERED.get(name);
        if (k != null) {
            return k;
        }
        for (ModelKind found : ServiceLoader.load(ModelKind.class)) {
            if (found.name().equals(name)) {
                return found;
            }
        }
        return null;
    }

    private static TreeSet<String> knownKinds() {
        TreeSet<String> names = new TreeSet<>(REGISTERED.keySet());
        ServiceLoader.load(ModelKind.class).forEach(k -> names.add(k.name()));
        return names;
    }
}
