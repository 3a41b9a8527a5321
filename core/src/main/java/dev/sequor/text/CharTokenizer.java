package dev.sequor.text;

import dev.sequor.io.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One id per Unicode code point seen when built (in code-point order after the reserved ids); code
 * points not seen map to {@link #UNK}. Text made only of known code points round-trips exactly.
 */
public final class CharTokenizer implements Tokenizer {
    static final String TYPE = "char";
    private final int[] codePoints;
    private final Map<Integer, Integer> ids = new HashMap<>();

    private CharTokenizer(int[] codePoints) {
        this.codePoints = codePoints.clone();
        for (int i = 0; i < codePoints.length; i++) {
            if (ids.put(codePoints[i], RESERVED + i) != null) {
                throw new IllegalArgumentException("CharTokenizer: code point U+" + Integer.toHexString(codePoints[i])
                        + " listed twice");
            }
        }
    }

    /** @return a tokenizer over every code point of {@code texts} */
    public static CharTokenizer fit(Iterable<String> texts) {
        TreeSet<Integer> seen = new TreeSet<>();
        for (String t : texts) {
            t.codePoints().forEach(seen::add);
        }
        return new CharTokenizer(seen.stream().mapToInt(Integer::intValue).toArray());
    }

    /** @return a tokenizer over every code point of {@code text} */
    public static CharTokenizer fit(String text) {
        return fit(List.of(text));
    }

    @Override
    public int[] encode(String text) {
        return text.codePoints().map(cp -> ids.getOrDefault(cp, UNK)).toArray();
    }

    @Override
    public String decode(int[] idSeq) {
        StringBuilder sb = new StringBuilder();
        for (int id : idSeq) {
            if (id >= RESERVED && id < size()) {
                sb.appendCodePoint(codePoints[id - RESERVED]);
            }
        }
        return sb.toString();
    }

    @Override
    public int size() {
        return RESERVED + codePoints.length;
    }

    @Override
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", TYPE);
        List<Object> cps = new ArrayList<>();
        for (int cp : codePoints) {
            cps.add(cp);
        }
        m.put("codePoints", cps);
        return Json.write(m);
    }

    static CharTokenizer fromMap(Map<?, ?> m) {
        return new CharTokenizer(Tokenizer.intList(m, "codePoints"));
    }
}
