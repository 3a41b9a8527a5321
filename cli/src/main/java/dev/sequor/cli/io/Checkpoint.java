package dev.sequor.cli.io;

import dev.sequor.cli.text.Vocabulary;
import dev.sequor.core.Tensor;
import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsException;
import dev.sequor.io.SafeTensorsFile;
import dev.sequor.io.TensorData;
import dev.sequor.nn.Module;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model checkpoint: a safetensors file whose {@code __metadata__} holds what rebuilds the model
 * ({@code sequor.kind}, {@code sequor.config} as JSON, {@code sequor.vocab} as a JSON array of
 * code points) plus any extra entries (training step, optimizer names). Written atomically, so a
 * crash mid-save leaves the previous checkpoint intact. Tensors are float32 host copies, so a
 * checkpoint moves between backends.
 */
public final class Checkpoint {

    /** Metadata key of the model kind, e.g. {@code "seq2seq"}. */
    public static final String KIND = "sequor.kind";
    /** Metadata key of the model configuration (JSON). */
    public static final String CONFIG = "sequor.config";
    /** Metadata key of the vocabulary (JSON). */
    public static final String VOCAB = "sequor.vocab";

    /**
     * A checkpoint read from disk.
     *
     * @param file     where it came from
     * @param kind     the model kind
     * @param config   the configuration JSON
     * @param vocab    the vocabulary
     * @param tensors  every tensor by name
     * @param metadata every metadata entry
     */
    public record Loaded(Path file, String kind, String config, Vocabulary vocab, Map<String, TensorData> tensors,
                         Map<String, String> metadata) {
    }

    private Checkpoint() {
    }

    /**
     * Saves {@code data} (a module's {@code stateData()} and any further tensors) with the model's description,
     * atomically.
     *
     * @param extra further metadata entries (may be empty)
     */
    public static void save(Path file, String kind, String configJson, Vocabulary vocab, Map<String, TensorData> data,
                            Map<String, String> extra) {
        Map<String, String> meta = new TreeMap<>(extra);
        meta.put(KIND, kind);
        meta.put(CONFIG, configJson);
        meta.put(VOCAB, vocab.toJson());
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            SafeTensors.write(file, data, meta);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads and checks a checkpoint of the expected kind.
     *
     * @throws IllegalArgumentException with a message for the user: missing file, not a safetensors
     *                                  file, not a Sequor checkpoint, or a checkpoint of another kind
     */
    public static Loaded load(Path file, String expectedKind) {
        SafeTensorsFile f;
        try {
            f = SafeTensors.read(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("checkpoint " + file + " does not exist");
        } catch (SafeTensorsException e) {
            throw new IllegalArgumentException("checkpoint " + file + " is corrupt or not a safetensors file: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read checkpoint " + file + ": " + e, e);
        }
        Map<String, String> meta = f.metadata();
        for (String key : new String[] {KIND, CONFIG, VOCAB}) {
            if (!meta.containsKey(key)) {
                throw new IllegalArgumentException("checkpoint " + file + " is a safetensors file but not a Sequor "
                        + "checkpoint: its __metadata__ has no '" + key + "'");
            }
        }
        if (!meta.get(KIND).equals(expectedKind)) {
            throw new IllegalArgumentException("checkpoint " + file + " holds a '" + meta.get(KIND)
                    + "' model, not a '" + expectedKind + "' model");
        }
        Vocabulary vocab;
        try {
            vocab = Vocabulary.fromJson(meta.get(VOCAB));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("checkpoint " + file + ": bad vocabulary: " + e.getMessage(), e);
        }
        return new Loaded(file, meta.get(KIND), meta.get(CONFIG), vocab, f.tensors(), meta);
    }

    /**
     * Copies the checkpoint's tensors into {@code model}, built from the checkpoint's configuration.
     *
     * @throws IllegalArgumentException naming every missing, unexpected or mis-shaped tensor when the
     *                                  file does not match its own configuration
     */
    public static void restore(Loaded ckpt, Module model) {
        restore(ckpt, ckpt.tensors(), model);
    }

    /** As {@link #restore(Loaded, Module)} with only {@code tensors} of the checkpoint (others saved beside the model). */
    public static void restore(Loaded ckpt, Map<String, TensorData> tensors, Module model) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        try (var scope = Tensor.scope()) {
            tensors.forEach((k, d) -> state.put(k, d.toTensor(model.backend())));
            model.loadStateDict(state, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + ckpt.file() + " does not match its configuration "
                    + ckpt.config() + ": " + e.getMessage(), e);
        }
    }
}
