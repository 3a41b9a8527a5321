package dev.sequor.nn.attention;

import dev.sequor.core.Tensor;
import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsFile;
import dev.sequor.io.TensorData;
import dev.sequor.spi.Backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads a golden safetensors fixture (core's dev.sequor.io reader) into tensors and compares results
 * with it, to an error measured as {@code |a - e| / (1 + |e|)}.
 */
final class Golden {

    private final Map<String, float[]> data = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    private final String file;

    Golden(String file) {
        this.file = file;
        try {
            SafeTensorsFile f = SafeTensors.read(Path.of("src/test/resources/golden", file));
            for (String name : f.names()) {
                TensorData t = f.get(name);
                data.put(name, t.data());
                shapes.put(name, t.shape());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(data).as("tensors in %s", file).isNotEmpty();
    }

    boolean has(String key) {
        return data.containsKey(key);
    }

    float[] values(String key) {
        float[] v = data.get(key);
        if (v == null) {
            throw new IllegalArgumentException(file + ": no tensor '" + key + "'");
        }
        return v;
    }

    int[] shape(String key) {
        values(key);
        return shapes.get(key);
    }

    Tensor tensor(Backend be, String key) {
        return Tensor.of(be, values(key), shape(key));
    }

    /** @return every tensor whose key starts with {@code prefix}, keyed by the rest */
    Map<String, Tensor> withPrefix(Backend be, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String k : data.keySet()) {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), tensor(be, k));
            }
        }
        return out;
    }

    /** Asserts {@code actual} has the fixture's shape and values within {@code tol} (absolute plus relative). */
    void assertClose(String key, Tensor actual, double tol) {
        assertThat(actual).as("%s: %s", file, key).isNotNull();
        assertThat(actual.shape()).as("%s: shape of %s", file, key).containsExactly(shape(key));
        assertArrayClose(file + ": " + key, values(key), actual.toFloatArray(), tol);
    }

    static void assertArrayClose(String what, float[] expected, float[] actual, double tol) {
        assertThat(actual.length).as("%s length", what).isEqualTo(expected.length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]) / (1 + Math.abs(expected[i]));
            if (!(err <= worst)) {
                worst = err;
                at = i;
            }
        }
        if (at >= 0 && !(worst <= tol)) {
            throw new AssertionError(what + ": element " + at + " is " + actual[at] + ", expected " + expected[at]
                    + " (error " + worst + " > " + tol + ")");
        }
    }
}
