package dev.sequor.cli.seq2seq;

import dev.sequor.io.Json;

import java.util.Map;

/** Typed reads of a configuration's JSON fields, with errors that name the field. */
public final class ConfigFields {

    private ConfigFields() {
    }

    /** @return the JSON object in {@code json} @throws IllegalArgumentException if it is not one */
    public static Map<?, ?> object(String json, String what) {
        Object o;
        try {
            o = Json.parse(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(what + " must be a JSON object");
        }
        return m;
    }

    /** @return the integer field {@code key} */
    public static int integer(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("configuration field '" + key + "' must be an integer, got "
                    + m.get(key));
        }
        return n.intValue();
    }

    /** @return the string field {@code key} */
    public static String string(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalArgumentException("configuration field '" + key + "' must be a string, got " + m.get(key));
        }
        return s;
    }
}
