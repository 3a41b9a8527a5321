package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;

import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.sequor.nn.recurrent.Checks.BE;

/**
 * Reads a golden fixture written by {@code tools/golden/gen_recurrent_extra.py} (files
 * {@code extra_*.safetensors}) through core's safetensors reader.
 */
final class Golden {

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private Golden(SafeTensorsFile f) {
        for (String k : f.names()) {
            tensors.put(k, Tensor.of(BE, f.get(k).data(), f.get(k).shape()));
        }
    }

    static Golden load(String name) {
        return resource("extra_" + name, "gen_recurrent_extra.py");
    }

    /** @return the fixture {@code golden/<file>.safetensors}, written by {@code tools/golden/<generator>} */
    static Golden resource(String file, String generator) {
        String name = file;
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + file + ".safetensors")) {
            if (in == null) {
                throw new IllegalStateException("missing fixture golden/" + file
                        + ".safetensors; run /usr/bin/python3 tools/golden/" + generator);
            }
            return new Golden(SafeTensors.read(in.readAllBytes(), name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Tensor get(String key) {
        Tensor t = tensors.get(key);
        if (t == null) {
            throw new IllegalArgumentException("fixture has no key '" + key + "'; keys: " + tensors.keySet());
        }
        return t;
    }

    boolean has(String key) {
        return tensors.containsKey(key);
    }

    /** @return the tensors under {@code prefix}, with the prefix removed from the names */
    Map<String, Tensor> withPrefix(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** @return the fixture's lengths vector as ints, or null */
    int[] lengths() {
        if (!has("lengths")) {
            return null;
        }
        float[] f = get("lengths").toFloatArray();
        int[] l = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            l[i] = Math.round(f[i]);
        }
        return l;
    }
}
