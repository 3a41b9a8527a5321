package dev.sequor.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer, enough for safetensors headers and for model
 * configurations stored as checkpoint metadata.
 *
 * <p>Values map to Java as follows: object to an unmodifiable {@code Map<String, Object>} that keeps
 * the document's key order, array to an unmodifiable {@code List<Object>}, string to {@link String},
 * {@code true}/{@code false} to {@link Boolean}, {@code null} to {@link #NULL}, and numbers to
 * {@link Long} when written without fraction or exponent and within {@code long} range, to
 * {@link BigInteger} for larger integers, and to {@link Double} otherwise.
 *
 * <p>Strict means: exactly one value surrounded only by whitespace, no comments, no trailing commas,
 * no leading zeros, no unescaped control characters, no lone surrogate escapes, no duplicate object
 * keys, and nesting at most {@value #MAX_DEPTH} deep. Every fault is a {@link JsonException} giving
 * the character offset.
 *
 * <p>Thread-safe: all methods are stateless.
 */
public final class Json {
    /** The Java value of JSON {@code null} (a {@code Map} cannot hold a Java null). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Deepest nesting of arrays and objects accepted, so that hostile input cannot overflow the stack. */
    public static final int MAX_DEPTH = 256;

    private Json() {
    }

    /**
     * Parses one JSON document.
     *
     * @param text the whole document
     * @return the value, typed as described in the class documentation
     * @throws JsonException if {@code text} is not exactly one valid JSON value
     */
    public static Object parse(String text) {
        Reader r = new Reader(text);
        r.skipWhitespace();
        Object value = r.value(0);
        r.skipWhitespace();
        if (r.pos != text.length()) {
            throw r.fault("unexpected content after the JSON value");
        }
        return value;
    }

    /**
     * Writes a value as compact JSON (no spaces), keeping map iteration order.
     *
     * @param value a {@code Map} with {@code String} keys, {@code List}, {@code String}, {@code Boolean},
     *              integral {@code Number} ({@code Long}, {@code Integer}, {@code Short}, {@code Byte},
     *              {@code BigInteger}), finite {@code Double} or {@code Float}, {@code BigDecimal},
     *              or {@link #NULL}
     * @return the JSON text
     * @throws IllegalArgumentException for any other value, a non-string key, or a non-finite number
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.toString();
    }

    /**
     * Quotes and escapes a string as a JSON string literal.
     *
     * @param s any string
     * @return {@code s} as a JSON string, with quotes
     */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        quote(s, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON value nested deeper than " + MAX_DEPTH);
        }
        switch (value) {
            case null -> throw new IllegalArgumentException("Java null is not a JSON value; use Json.NULL");
            case String s -> quote(s, out);
            case Boolean b -> out.append(b.booleanValue());
            case Long _, Integer _, Short _, Byte _, BigInteger _ -> out.append(value);
            case BigDecimal d -> out.append(d.toString());
            case Double _, Float _ -> {
                double d = ((Number) value).doubleValue();
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("JSON has no representation for " + d);
                }
                // Float.toString is the shortest decimal that reads back to the same float.
                out.append(value instanceof Float f ? Float.toString(f) : Double.toString(d));
            }
            case Map<?, ?> map -> writeObject(map, out, depth);
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out, depth + 1);
                }
                out.append(']');
            }
            default -> {
                if (value == NULL) {
                    out.append("null");
                } else {
                    throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
                }
            }
        }
    }

    private static void writeObject(Map<?, ?> map, StringBuilder out, int depth) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(key, out);
            out.append(':');
            write(e.getValue(), out, depth + 1);
        }
        out.append('}');
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // Lone surrogates would become invalid UTF-8 on disk, so escape them.
                    boolean loneSurrogate = Character.isSurrogate(c)
                            && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                                    && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || loneSurrogate) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Recursive-descent parser over one string; {@code pos} is the next unread character. */
    private static final class Reader {
        private final String s;
        private int pos;

        /** The keys of the objects around the value being read, outermost first. */
        private final ArrayDeque<String> path = new ArrayDeque<>();

        Reader(String s) {
            this.s = s;
        }

        JsonException fault(String message) {
            return new JsonException(message, pos);
        }

        void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        Object value(int depth) {
            if (pos >= s.length()) {
                throw fault("unexpected end of JSON, expected a value");
            }
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", NULL);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw fault("unexpected character " + describe(c) + ", expected a value");
                }
            };
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) {
                throw fault("invalid literal, expected '" + word + "'");
            }
            pos += word.length();
            return value;
        }

        private Map<String, Object> object(int depth) {
            checkDepth(depth);
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return Collections.unmodifiableMap(map);
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw fault("expected a string key in JSON object");
                }
                int keyStart = pos;
                String key = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                path.addLast(key);
                Object v = value(depth);
                path.removeLast();
                if (map.putIfAbsent(key, v) != null) {
                    throw new JsonException("duplicate key " + quote(key) + " in JSON object"
                            + (path.isEmpty() ? "" : " under " + String.join(".", path)), keyStart, key, List.copyOf(path));
                }
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == '}') {
                    return Collections.unmodifiableMap(map);
                }
                if (c != ',') {
                    pos--;
                    throw fault("expected ',' or '}' in JSON object");
                }
            }
        }

        private List<Object> array(int depth) {
            checkDepth(depth);
            pos++;
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth));
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == ']') {
                    return Collections.unmodifiableList(list);
                }
                if (c != ',') {
                    pos--;
                    throw fault("expected ',' or ']' in JSON array");
                }
            }
        }

        private void checkDepth(int depth) {
            if (depth > MAX_DEPTH) {
                throw fault("JSON nested deeper than " + MAX_DEPTH);
            }
        }

        private char peek() {
            if (pos >= s.length()) {
                throw fault("unexpected end of JSON");
            }
            return s.charAt(pos);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw fault("expected '" + c + "'");
            }
            pos++;
        }

        private String string() {
            pos++;
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw fault("unterminated JSON string");
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return out.toString();
                }
                if (c < 0x20) {
                    throw fault("unescaped control character " + describe(c) + " in JSON string");
                }
                if (c == '\\') {
                    escape(out);
                } else {
                    out.append(c);
                    pos++;
                }
            }
        }

        private void escape(StringBuilder out) {
            pos++;
            char e = peek();
            pos++;
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    char u = hex4();
                    if (Character.isHighSurrogate(u)) {
                        if (!s.startsWith("\\u", pos)) {
                            throw fault("high surrogate escape not followed by a low surrogate escape");
                        }
                        pos += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw fault("high surrogate escape not followed by a low surrogate escape");
                        }
                        out.append(u).append(low);
                    } else if (Character.isLowSurrogate(u)) {
                        throw fault("lone low surrogate escape in JSON string");
                    } else {
                        out.append(u);
                    }
                }
                default -> {
                    pos--;
                    throw fault("invalid escape \\" + describe(e) + " in JSON string");
                }
            }
        }

        private char hex4() {
            if (pos + 4 > s.length()) {
                throw fault("truncated \\u escape in JSON string");
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(s.charAt(pos), 16);
                if (d < 0) {
                    throw fault("invalid hex digit in \\u escape");
                }
                v = v * 16 + d;
                pos++;
            }
            return (char) v;
        }

        private Object number() {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                throw fault("expected a digit in JSON number");
            }
            if (s.charAt(pos) == '0' && pos + 1 < s.length() && isDigit(s.charAt(pos + 1))) {
                throw fault("leading zero in JSON number");
            }
            digits();
            boolean integral = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                integral = false;
                pos++;
                requireDigit("fraction");
                digits();
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                requireDigit("exponent");
                digits();
            }
            String text = s.substring(start, pos);
            if (integral) {
                BigInteger big = new BigInteger(text);
                return big.bitLength() < 64 ? (Object) big.longValue() : big;
            }
            double d = Double.parseDouble(text);
            if (!Double.isFinite(d)) {
                throw new JsonException("JSON number " + text + " is out of double range", start);
            }
            return d;
        }

        private void requireDigit(String part) {
            if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                throw fault("expected a digit in the " + part + " of a JSON number");
            }
        }

        private void digits() {
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static String describe(char c) {
            return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
        }
    }
}
