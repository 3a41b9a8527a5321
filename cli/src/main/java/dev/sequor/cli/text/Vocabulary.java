package dev.sequor.cli.text;

import dev.sequor.io.Json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A character vocabulary (Unicode code points) with three reserved ids: {@link #PAD} 0,
 * {@link #START} 1 and {@link #END} 2; characters follow in code point order.
 */
public final class Vocabulary {

    /** Padding, ignored by the loss. */
    public static final int PAD = 0;
    /** Start of sequence: the decoder's first input. */
    public static final int START = 1;
    /** End of sequence. */
    public static final int END = 2;
    private static final int RESERVED = 3;

    private final int[] codePoints;
    private final Map<Integer, Integer> ids = new HashMap<>();

    private Vocabulary(int[] codePoints) {
        this.codePoints = codePoints.clone();
        for (int i = 0; i < codePoints.length; i++) {
            if (ids.put(codePoints[i], i + RESERVED) != null) {
                throw new IllegalArgumentException("Vocabulary: duplicate character U+"
                        + Integer.toHexString(codePoints[i]));
            }
        }
    }

    /** @return the vocabulary of every code point in {@code texts} */
    public static Vocabulary of(Collection<String> texts) {
        TreeSet<Integer> cps = new TreeSet<>();
        for (String t : texts) {
            t.codePoints().forEach(cps::add);
        }
        return new Vocabulary(cps.stream().mapToInt(Integer::intValue).toArray());
    }

    /** @return the vocabulary in {@code text}, e.g. a training corpus */
    public static Vocabulary of(String text) {
        return of(List.of(text));
    }

    /** @return the number of ids, reserved ones included */
    public int size() {
        return codePoints.length + RESERVED;
    }

    /** @return whether {@code cp} has an id */
    public boolean contains(int cp) {
        return ids.containsKey(cp);
    }

    /**
     * @return the ids of {@code text}'s code points
     * @throws IllegalArgumentException naming the first character that has no id
     */
    public int[] encode(String text) {
        int[] cps = text.codePoints().toArray();
        int[] out = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            Integer id = ids.get(cps[i]);
            if (id == null) {
                throw new IllegalArgumentException("character '" + new String(Character.toChars(cps[i]))
                        + "' (U+" + Integer.toHexString(cps[i]).toUpperCase() + ") at position " + i
                        + " is not in the model's vocabulary of " + codePoints.length + " characters");
            }
            out[i] = id;
        }
        return out;
    }

    /** @return the text of {@code ids}, skipping reserved ids */
    public String decode(int[] idSeq) {
        StringBuilder sb = new StringBuilder();
        for (int id : idSeq) {
            if (id >= RESERVED && id < size()) {
                sb.appendCodePoint(codePoints[id - RESERVED]);
            }
        }
        return sb.toString();
    }

    /** @return a printable label for one id (reserved ids as {@code <pad>}, {@code <s>}, {@code </s>}) */
    public String label(int id) {
        return switch (id) {
            case PAD -> "<pad>";
            case START -> "<s>";
            case END -> "</s>";
            default -> new String(Character.toChars(codePoints[id - RESERVED]));
        };
    }

    /** @return the JSON array of code points, for a checkpoint's metadata */
    public String toJson() {
        List<Object> list = new ArrayList<>();
        for (int cp : codePoints) {
            list.add((long) cp);
        }
        return Json.write(list);
    }

    /**
     * @return the vocabulary written by {@link #toJson}
     * @throws IllegalArgumentException if {@code json} is not an array of code points
     */
    public static Vocabulary fromJson(String json) {
        Object parsed = Json.parse(json);
        if (!(parsed instanceof List<?> list)) {
            throw new IllegalArgumentException("vocabulary: expected a JSON array of code points");
        }
        int[] cps = new int[list.size()];
        for (int i = 0; i < cps.length; i++) {
            if (!(list.get(i) instanceof Number n) || n.longValue() < 0 || n.longValue() > Character.MAX_CODE_POINT) {
                throw new IllegalArgumentException("vocabulary: entry " + i + " is not a code point: " + list.get(i));
            }
            cps[i] = n.intValue();
        }
        return new Vocabulary(cps);
    }
}
