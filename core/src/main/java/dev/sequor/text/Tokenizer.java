package dev.sequor.text;

import dev.sequor.io.Json;

import java.util.List;
import java.util.Map;

/**
 * Text to token ids and back. Every tokenizer reserves the same four ids: {@link #PAD} for padding,
 * {@link #UNK} for what it cannot represent, {@link #BOS} and {@link #EOS} to mark sequence ends; the
 * rest are its own. Tokenizers are immutable and thread-safe once built, and save themselves as JSON
 * ({@link #toJson()}, read back by {@link #fromJson(String)}), so a checkpoint can carry one.
 */
public interface Tokenizer {
    /** Padding id. */
    int PAD = 0;
    /** Unknown-token id. */
    int UNK = 1;
    /** Beginning-of-sequence id. */
    int BOS = 2;
    /** End-of-sequence id. */
    int EOS = 3;
    /** Number of reserved ids. */
    int RESERVED = 4;

    /** @return the ids of {@code text} (no BOS/EOS added) */
    int[] encode(String text);

    /** @return the text of {@code ids}; reserved ids decode to nothing */
    String decode(int[] ids);

    /** @return the number of ids, reserved ones included: every id is in {@code [0, size())} */
    int size();

    /** @return this tokenizer as a JSON object with a {@code "type"} field */
    String toJson();

    /**
     * Reads any tokenizer written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException for malformed JSON or an unknown {@code type}, saying which
     */
    static Tokenizer fromJson(String json) {
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tokenizer JSON is malformed: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)) {
            throw new IllegalArgumentException("tokenizer JSON must be an object with a string \"type\"");
        }
        return switch (type) {
            case CharTokenizer.TYPE -> CharTokenizer.fromMap(m);
            case WordTokenizer.TYPE -> WordTokenizer.fromMap(m);
            case BpeTokenizer.TYPE -> BpeTokenizer.fromMap(m);
            default -> throw new IllegalArgumentException("unknown tokenizer type '" + type + "' (known: "
                    + CharTokenizer.TYPE + ", " + WordTokenizer.TYPE + ", " + BpeTokenizer.TYPE + ")");
        };
    }

    /** @return the integers of a JSON list field, naming it when absent or not integers */
    static int[] intList(Map<?, ?> m, String field) {
        if (!(m.get(field) instanceof List<?> list)) {
            throw new IllegalArgumentException("tokenizer JSON has no list \"" + field + "\"");
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw new IllegalArgumentException("tokenizer JSON \"" + field + "\"[" + i + "] is not a number");
            }
            out[i] = n.intValue();
        }
        return out;
    }
}
