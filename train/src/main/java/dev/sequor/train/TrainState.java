package dev.sequor.train;

import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.io.Json;
import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsFile;
import dev.sequor.io.TensorData;
import dev.sequor.nn.Module;
import dev.sequor.optim.Optimizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loop's position (step, epoch, batch within the epoch) and the carried truncated-BPTT state, and
 * the resumable checkpoint: one safetensors file with the model's tensors under {@code model.},
 * the optimizer's under {@code optim.}, the carried state under {@code carry.<i>}, and in the metadata
 * the position and the optimizer's scalars as JSON. Written atomically by {@link SafeTensors#write}.
 */
final class TrainState {

    static final String MODEL = "model.";
    static final String OPTIM = "optim.";
    static final String CARRY = "carry.";
    static final String POSITION = "sequor.train.position";
    static final String SCALARS = "sequor.train.optim";

    int step;
    int epoch;
    int batchInEpoch;
    /** The detached state carried between chunks (and batches), outside every scope; null for zeros. */
    List<Tensor> carry;

    void closeCarry() {
        carry = close(carry);
    }

    /** Closes each tensor of {@code state}. @return null */
    static List<Tensor> close(List<Tensor> state) {
        if (state != null) {
            state.forEach(Tensor::close);
        }
        return null;
    }

    static void save(Path file, Module model, Optimizer optimizer, TrainState s) {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        model.stateData().forEach((k, d) -> tensors.put(MODEL + k, d));
        Optimizer.State st = optimizer.stateDict();
        st.tensors().forEach((k, t) -> tensors.put(OPTIM + k, host(t)));
        if (s.carry != null) {
            for (int i = 0; i < s.carry.size(); i++) {
                tensors.put(CARRY + i, host(s.carry.get(i)));
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(POSITION, Json.write(Map.of("step", s.step, "epoch", s.epoch, "batch", s.batchInEpoch)));
        meta.put(SCALARS, Json.write(new LinkedHashMap<String, Object>(st.scalars())));
        try {
            SafeTensors.write(file, tensors, meta);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write training checkpoint " + file + ": " + e, e);
        }
    }

    static void load(Path file, Module model, Optimizer optimizer, TrainState s) {
        SafeTensorsFile f;
        try {
            f = SafeTensors.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read training checkpoint " + file + ": " + e.getMessage(), e);
        }
        if (!f.metadata().containsKey(POSITION) || !f.metadata().containsKey(SCALARS)) {
            throw new IllegalArgumentException(file + " is not a training checkpoint: its metadata lacks '"
                    + POSITION + "' or '" + SCALARS + "'");
        }
        Map<?, ?> pos = (Map<?, ?>) Json.parse(f.metadata().get(POSITION));
        Map<String, Double> scalars = new LinkedHashMap<>();
        ((Map<?, ?>) Json.parse(f.metadata().get(SCALARS))).forEach((k, v) -> scalars.put((String) k,
                ((Number) v).doubleValue()));
        Map<String, Tensor> modelState = new LinkedHashMap<>();
        Map<String, Tensor> optimState = new LinkedHashMap<>();
        List<TensorData> carried = new ArrayList<>();
        try (Scope scope = Tensor.scope()) {
            f.tensors().forEach((k, d) -> {
                if (k.startsWith(MODEL)) {
                    modelState.put(k.substring(MODEL.length()), d.toTensor(model.backend()));
                } else if (k.startsWith(OPTIM)) {
                    optimState.put(k.substring(OPTIM.length()), d.toTensor(model.backend()));
                } else if (k.startsWith(CARRY)) {
                    carried.add(d);
                } else {
                    throw new IllegalArgumentException("training checkpoint " + file + ": unexpected tensor '" + k + "'");
                }
            });
            model.loadStateDict(modelState, true);
            optimizer.loadStateDict(new Optimizer.State(optimState, scalars));
        }
        s.closeCarry();
        if (!carried.isEmpty()) {
            List<Tensor> c = new ArrayList<>();
            for (int i = 0; i < carried.size(); i++) {
                TensorData d = f.tensors().get(CARRY + i);
                c.add(Scope.unscoped(() -> d.toTensor(model.backend())));
            }
            s.carry = c;
        }
        s.step = ((Number) pos.get("step")).intValue();
        s.epoch = ((Number) pos.get("epoch")).intValue();
        s.batchInEpoch = ((Number) pos.get("batch")).intValue();
    }

    private static TensorData host(Tensor t) {
        return TensorData.of(t.shape(), t.toFloatArray());
    }
}
