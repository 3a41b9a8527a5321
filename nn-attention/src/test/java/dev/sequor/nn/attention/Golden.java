package dev.sequor.nn.attention;

import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the F32 safetensors fixtures written by tools/golden/attention_golden.py (a minimal reader for
 * this module's own fixtures until core's dev.sequor.io reader lands) and compares tensors.
 */
final class Golden {

    private static final Pattern ENTRY = Pattern.compile(
            "\"([^\"]+)\":\\{\"dtype\":\"F32\",\"shape\":\\[([0-9,]*)],\"data_offsets\":\\[(\\d+),(\\d+)]}");

    private final Map<String, float[]> data = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    private final String file;

    Golden(String file) {
        this.file = file;
        try {
            byte[] bytes = Files.readAllBytes(Path.of("src/test/resources/golden", file));
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int headerLength = Math.toIntExact(bb.getLong(0));
            String header = new String(bytes, 8, headerLength, StandardCharsets.UTF_8);
            Matcher m = ENTRY.matcher(header);
            while (m.find()) {
                int[] shape = m.group(2).isEmpty() ? new int[0]
                        : Arrays.stream(m.group(2).split(",")).mapToInt(Integer::parseInt).toArray();
                int start = 8 + headerLength + Integer.parseInt(m.group(3));
                int end = 8 + headerLength + Integer.parseInt(m.group(4));
                float[] v = new float[(end - start) / 4];
                bb.position(start);
                bb.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                data.put(m.group(1), v);
                shapes.put(m.group(1), shape);
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
