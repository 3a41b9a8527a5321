package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.sequor.nn.recurrent.Checks.BE;

/**
 * Reads a golden fixture written by {@code tools/golden/gen_recurrent.py}: a safetensors file of F32
 * tensors. A test-local reader of just what that script writes, until core's {@code dev.sequor.io}
 * (branch wip/io) is in main.
 */
final class Golden {

    private static final Pattern ENTRY = Pattern.compile(
            "\"([^\"]+)\":\\{\"dtype\":\"F32\",\"shape\":\\[([0-9,]*)],\"data_offsets\":\\[(\\d+),(\\d+)]}");

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private Golden(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = (int) buf.getLong(0);
        String header = new String(bytes, 8, headerLen, StandardCharsets.UTF_8);
        Matcher m = ENTRY.matcher(header);
        while (m.find()) {
            String[] dims = m.group(2).isEmpty() ? new String[0] : m.group(2).split(",");
            int[] shape = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                shape[i] = Integer.parseInt(dims[i]);
            }
            int begin = Integer.parseInt(m.group(3));
            int end = Integer.parseInt(m.group(4));
            float[] v = new float[(end - begin) / 4];
            for (int i = 0; i < v.length; i++) {
                v[i] = buf.getFloat(8 + headerLen + begin + 4 * i);
            }
            tensors.put(m.group(1), Tensor.of(BE, v, shape));
        }
        if (tensors.isEmpty()) {
            throw new IllegalStateException("no F32 tensors in fixture header: " + header);
        }
    }

    static Golden load(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name + ".safetensors")) {
            if (in == null) {
                throw new IllegalStateException("missing fixture golden/" + name
                        + ".safetensors; run /usr/bin/python3 tools/golden/gen_recurrent.py");
            }
            return new Golden(in.readAllBytes());
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
