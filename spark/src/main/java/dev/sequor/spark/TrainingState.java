package dev.sequor.spark;

import dev.sequor.core.Tensor;
import dev.sequor.io.Json;
import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsException;
import dev.sequor.io.SafeTensorsFile;
import dev.sequor.io.TensorData;
import dev.sequor.nn.Module;
import dev.sequor.optim.Optimizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's parameters, its optimizer's state and the step count as the bytes of one safetensors
 * checkpoint, in the layout the {@code sequor} command writes: the model's tensors under their
 * state-dict names, optimizer buffers under {@code optim.}, and in {@code __metadata__} the kind
 * ({@code sequor.kind}), the configuration ({@code sequor.config}), the step ({@code sequor.step}) and
 * the optimizer's scalars as JSON ({@code sequor.optim.scalars}). The same bytes travel to the
 * executors in a broadcast and land on the driver's disk as the checkpoint.
 */
public final class TrainingState {
    /** Metadata key of the model kind. */
    public static final String KIND = "sequor.kind";
    /** Metadata key of the model configuration (JSON). */
    public static final String CONFIG = "sequor.config";
    /** Metadata key of the completed step count. */
    public static final String STEP = "sequor.step";
    /** Metadata key of the optimizer's scalar state (JSON). */
    public static final String OPTIM_SCALARS = "sequor.optim.scalars";
    /** Name prefix of optimizer tensors. */
    public static final String OPTIM_PREFIX = "optim.";

    private TrainingState() {
    }

    /** @return the safetensors bytes of {@code model}, {@code opt} and {@code step} */
    public static byte[] encode(Module model, Optimizer opt, long step, String kind, String configJson) {
        Map<String, TensorData> data = new LinkedHashMap<>(model.stateData());
        Optimizer.State st = opt.stateDict();
        st.tensors().forEach((k, t) -> data.put(OPTIM_PREFIX + k, TensorData.of(t.shape(), t.toFloatArray())));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(KIND, kind);
        meta.put(CONFIG, configJson);
        meta.put(STEP, Long.toString(step));
        meta.put(OPTIM_SCALARS, Json.write(new LinkedHashMap<String, Object>(st.scalars())));
        try {
            Path tmp = Files.createTempFile("sequor-state", ".safetensors");
            try {
                SafeTensors.write(tmp, data, meta);
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode training state: " + e.getMessage(), e);
        }
    }

    /**
     * Parses and checks checkpoint bytes.
     *
     * @param source named in messages (a path or "broadcast")
     * @throws IllegalArgumentException naming {@code source} and the fault when the bytes are not a
     *                                  Sequor training checkpoint
     */
    public static SafeTensorsFile parse(byte[] bytes, String source) {
        SafeTensorsFile f;
        try {
            f = SafeTensors.read(bytes, source);
        } catch (SafeTensorsException e) {
            throw new IllegalArgumentException("checkpoint " + source + " is corrupt or not a safetensors file: "
                    + e.getMessage(), e);
        }
        for (String key : new String[] {KIND, STEP}) {
            if (!f.metadata().containsKey(key)) {
                throw new IllegalArgumentException("checkpoint " + source + " is not a Sequor training checkpoint: "
                        + "its __metadata__ has no '" + key + "'");
            }
        }
        return f;
    }

    /**
     * Reads a checkpoint file's bytes and checks them.
     *
     * @throws IllegalArgumentException for a missing, unreadable or corrupt file, naming it
     */
    public static byte[] read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("checkpoint " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read checkpoint " + file + ": " + e, e);
        }
        parse(bytes, file.toString());
        return bytes;
    }

    /**
     * Copies the state into {@code model} and {@code opt}, all or nothing.
     *
     * @return the saved step count
     * @throws IllegalArgumentException naming every missing, unexpected or mis-shaped tensor
     */
    public static long restore(byte[] bytes, String source, Module model, Optimizer opt) {
        SafeTensorsFile f = parse(bytes, source);
        Map<String, Tensor> params = new LinkedHashMap<>();
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        try (var scope = Tensor.scope()) {
            f.tensors().forEach((k, d) -> {
                Tensor t = d.toTensor(model.backend());
                if (k.startsWith(OPTIM_PREFIX)) {
                    buffers.put(k.substring(OPTIM_PREFIX.length()), t);
                } else {
                    params.put(k, t);
                }
            });
            Map<String, Double> scalars = new LinkedHashMap<>();
            if (Json.parse(f.metadata().getOrDefault(OPTIM_SCALARS, "{}")) instanceof Map<?, ?> m) {
                m.forEach((k, v) -> scalars.put((String) k, ((Number) v).doubleValue()));
            }
            try {
                model.loadStateDict(params, true);
                if (!buffers.isEmpty() || !scalars.isEmpty()) {
                    opt.loadStateDict(new Optimizer.State(buffers, scalars));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("checkpoint " + source + " does not fit the model: "
                        + e.getMessage(), e);
            }
        }
        return Long.parseLong(f.metadata().get(STEP));
    }

    /**
     * Loads only the model's tensors of checkpoint bytes into {@code model} (optimizer state left out):
     * what a scorer needs.
     *
     * @throws IllegalArgumentException naming every missing, unexpected or mis-shaped tensor
     */
    public static void loadModel(byte[] bytes, String source, Module model) {
        SafeTensorsFile f;
        try {
            f = SafeTensors.read(bytes, source);
        } catch (SafeTensorsException e) {
            throw new IllegalArgumentException("checkpoint " + source + " is corrupt or not a safetensors file: "
                    + e.getMessage(), e);
        }
        Map<String, Tensor> params = new LinkedHashMap<>();
        try (var scope = Tensor.scope()) {
            f.tensors().forEach((k, d) -> {
                if (!k.startsWith(OPTIM_PREFIX)) {
                    params.put(k, d.toTensor(model.backend()));
                }
            });
            try {
                model.loadStateDict(params, true);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("checkpoint " + source + " does not fit the model: "
                        + e.getMessage(), e);
            }
        }
    }

    /** @return the step count saved in checkpoint bytes */
    public static long restoreStep(byte[] bytes) {
        return Long.parseLong(parse(bytes, "training state").metadata().get(STEP));
    }

    /** Writes checkpoint bytes to {@code file} atomically (a temporary file renamed over it). */
    public static void write(Path file, byte[] bytes) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e, e);
        }
    }
}
