package dev.sequor.text;

import dev.sequor.io.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words as tokens: text is split into words (a letter followed by letters, marks, digits or
 * apostrophes), numbers (runs of digits) and single other non-space characters; words that occurred at
 * least {@code minFrequency} times when built get ids, most frequent first (ties by text), the rest
 * are {@link #UNK}. Decoding joins tokens with single spaces, so spacing is not kept.
 */
public final class WordTokenizer implements Tokenizer {
    static final String TYPE = "word";
    private static final Pattern TOKEN = Pattern.compile("\\p{L}[\\p{L}\\p{M}\\p{N}'\u2019]*|\\p{N}+|\\S");
    private final List<String> words;
    private final Map<String, Integer> ids = new HashMap<>();
    private final boolean lowercase;

    private WordTokenizer(List<String> words, boolean lowercase) {
        this.words = List.copyOf(words);
        this.lowercase = lowercase;
        for (int i = 0; i < words.size(); i++) {
            if (ids.put(words.get(i), RESERVED + i) != null) {
                throw new IllegalArgumentException("WordTokenizer: word '" + words.get(i) + "' listed twice");
            }
        }
    }

    /**
     * @param minFrequency the fewest occurrences a word needs for an id of its own (>= 1)
     * @param maxWords     the most words kept (the most frequent), or 0 for no limit
     * @param lowercase    fold case before counting and encoding
     */
    public static WordTokenizer fit(Iterable<String> texts, int minFrequency, int maxWords, boolean lowercase) {
        if (minFrequency < 1 || maxWords < 0) {
            throw new IllegalArgumentException("WordTokenizer: minFrequency must be >= 1 and maxWords >= 0, got "
                    + minFrequency + " and " + maxWords);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String t : texts) {
            for (String w : split(t, lowercase)) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> kept = new ArrayList<>();
        for (var e : counts.entrySet()) {
            if (e.getValue() >= minFrequency) {
                kept.add(e);
            }
        }
        kept.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> words = new ArrayList<>();
        for (var e : kept) {
            if (maxWords > 0 && words.size() == maxWords) {
                break;
            }
            words.add(e.getKey());
        }
        return new WordTokenizer(words, lowercase);
    }

    /** @return the tokens of {@code text} before lookup */
    public static List<String> split(String text, boolean lowercase) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(lowercase ? text.toLowerCase(Locale.ROOT) : text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Override
    public int[] encode(String text) {
        return split(text, lowercase).stream().mapToInt(w -> ids.getOrDefault(w, UNK)).toArray();
    }

    @Override
    public String decode(int[] idSeq) {
        StringBuilder sb = new StringBuilder();
        for (int id : idSeq) {
            if (id >= RESERVED && id < size()) {
                if (!sb.isEmpty()) {
                    sb.append(' ');
                }
                sb.append(words.get(id - RESERVED));
            }
        }
        return sb.toString();
    }

    /** @return the id of {@code word}, or {@link #UNK} */
    public int id(String word) {
        return ids.getOrDefault(word, UNK);
    }

    @Override
    public int size() {
        return RESERVED + words.size();
    }

    @Override
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", TYPE);
        m.put("lowercase", lowercase);
        m.put("words", new ArrayList<Object>(words));
        return Json.write(m);
    }

    static WordTokenizer fromMap(Map<?, ?> m) {
        if (!(m.get("words") instanceof List<?> list)) {
            throw new IllegalArgumentException("tokenizer JSON has no list \"words\"");
        }
        List<String> words = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException("tokenizer JSON \"words\" holds a non-string: " + o);
            }
            words.add(s);
        }
        return new WordTokenizer(words, Boolean.TRUE.equals(m.get("lowercase")));
    }
}
