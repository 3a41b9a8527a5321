package dev.sequor.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fully validated contents of one safetensors file: tensors as float32 {@link TensorData}, the
 * dtype each was stored in, and the {@code __metadata__} map. Immutable.
 *
 * <p>Tensors are ordered by their position in the data section (their {@code data_offsets}), which is
 * the order a writer laid them out in; the order of keys in the JSON header carries no meaning.
 */
public final class SafeTensorsFile {
    private final String source;
    private final Map<String, TensorData> tensors;
    private final Map<String, DType> dtypes;
    private final Map<String, String> metadata;

    SafeTensorsFile(String source, LinkedHashMap<String, TensorData> tensors, Map<String, DType> dtypes,
            Map<String, String> metadata) {
        this.source = source;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.dtypes = Collections.unmodifiableMap(new LinkedHashMap<>(dtypes));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** {@return where the contents came from (a file path or the name given to {@link SafeTensors#read(byte[], String)})} */
    public String source() {
        return source;
    }

    /** {@return the tensor names in data-section order} */
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    /** {@return all tensors by name, in data-section order (unmodifiable)} */
    public Map<String, TensorData> tensors() {
        return tensors;
    }

    /**
     * Tells whether a tensor exists.
     *
     * @param name a tensor name
     * @return whether the file holds a tensor of that name
     */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /**
     * Looks up a tensor.
     *
     * @param name a tensor name
     * @return the tensor
     * @throws IllegalArgumentException if there is no such tensor (the message lists a few that exist)
     */
    public TensorData get(String name) {
        TensorData t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(source + ": no tensor " + Json.quote(name) + "; it has "
                    + tensors.size() + " tensors: " + preview());
        }
        return t;
    }

    /**
     * Tells the dtype a tensor had on disk.
     *
     * @param name a tensor name
     * @return the dtype the tensor was stored in before conversion to float32
     * @throws IllegalArgumentException if there is no such tensor
     */
    public DType storedDtype(String name) {
        get(name);
        return dtypes.get(name);
    }

    /** {@return the {@code __metadata__} string map, empty if the file has none (unmodifiable)} */
    public Map<String, String> metadata() {
        return metadata;
    }

    private String preview() {
        List<String> names = names();
        int shown = Math.min(names.size(), 20);
        String list = String.join(", ", names.subList(0, shown));
        return names.size() > shown ? list + ", ..." : list;
    }

    @Override
    public String toString() {
        return "SafeTensorsFile[" + source + ", " + tensors.size() + " tensors]";
    }
}
