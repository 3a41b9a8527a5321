package dev.sequor.text;

import dev.sequor.io.Json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level byte-pair encoding (Sennrich et al. 2016; bytes as the base alphabet as in GPT-2): text is
 * cut into chunks (an optional space and a run of letters, of digits or of other symbols; or a run of
 * whitespace), each chunk's UTF-8 bytes start as 256 base tokens, and the learned merges are applied in
 * the order they were learned. Any text round-trips exactly, and nothing is ever {@link #UNK}.
 *
 * <p>Ids: the reserved four, then the 256 bytes ({@code RESERVED + b}), then merge {@code i} as
 * {@code RESERVED + 256 + i}. Training counts chunk frequencies once and then updates pair counts
 * incrementally (only the chunks that contain the merged pair are touched).
 */
public final class BpeTokenizer implements Tokenizer {
    static final String TYPE = "bpe";
    private static final int BASE = RESERVED + 256;
    private static final Pattern CHUNK = Pattern.compile(" ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+");
    private final int[] merges; // pairs (left, right), merge i makes id BASE + i
    private final Map<Long, Integer> rank = new HashMap<>();
    private final byte[][] bytes;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    private BpeTokenizer(int[] merges) {
        if (merges.length % 2 != 0) {
            throw new IllegalArgumentException("BpeTokenizer: merges must come in pairs, got " + merges.length + " ids");
        }
        this.merges = merges.clone();
        int n = merges.length / 2;
        bytes = new byte[BASE + n][];
        for (int b = 0; b < 256; b++) {
            bytes[RESERVED + b] = new byte[] {(byte) b};
        }
        for (int i = 0; i < n; i++) {
            int l = merges[2 * i];
            int r = merges[2 * i + 1];
            if (l < RESERVED || r < RESERVED || l >= BASE + i || r >= BASE + i) {
                throw new IllegalArgumentException("BpeTokenizer: merge " + i + " joins ids " + l + " and " + r
                        + ", which do not exist yet");
            }
            rank.put(key(l, r), i);
            byte[] joined = new byte[bytes[l].length + bytes[r].length];
            System.arraycopy(bytes[l], 0, joined, 0, bytes[l].length);
            System.arraycopy(bytes[r], 0, joined, bytes[l].length, bytes[r].length);
            bytes[BASE + i] = joined;
        }
    }

    /**
     * Learns up to {@code vocabSize - RESERVED - 256} merges from {@code texts} (fewer if no pair occurs
     * twice any more).
     *
     * @param vocabSize the size to reach, at least {@code RESERVED + 256}
     */
    public static BpeTokenizer train(Iterable<String> texts, int vocabSize) {
        if (vocabSize < BASE) {
            throw new IllegalArgumentException("BpeTokenizer: vocabSize must be at least " + BASE + ", got " + vocabSize);
        }
        Map<String, Integer> chunkCounts = new HashMap<>();
        for (String t : texts) {
            for (String c : chunks(t)) {
                chunkCounts.merge(c, 1, Integer::sum);
            }
        }
        return new BpeTokenizer(new Trainer(chunkCounts).run(vocabSize - BASE));
    }

    static List<String> chunks(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = CHUNK.matcher(text);
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                out.add(text.substring(end, m.start())); // never expected; kept so nothing is dropped
            }
            out.add(m.group());
            end = m.end();
        }
        if (end != text.length()) {
            out.add(text.substring(end));
        }
        return out;
    }

    static long key(int l, int r) {
        return ((long) l << 32) | (r & 0xffffffffL);
    }

    @Override
    public int[] encode(String text) {
        List<int[]> parts = new ArrayList<>();
        int total = 0;
        for (String c : chunks(text)) {
            int[] ids = cache.size() < 1 << 16 ? cache.computeIfAbsent(c, this::encodeChunk) : encodeChunk(c);
            parts.add(ids);
            total += ids.length;
        }
        int[] out = new int[total];
        int off = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    private int[] encodeChunk(String chunk) {
        byte[] b = chunk.getBytes(StandardCharsets.UTF_8);
        int[] s = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            s[i] = RESERVED + (b[i] & 0xff);
        }
        int n = s.length;
        while (n > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < n; i++) {
                Integer r = rank.get(key(s[i], s[i + 1]));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            int l = s[best];
            int r = s[best + 1];
            int w = 0;
            for (int i = 0; i < n; i++) {
                if (i + 1 < n && s[i] == l && s[i + 1] == r) {
                    s[w++] = BASE + bestRank;
                    i++;
                } else {
                    s[w++] = s[i];
                }
            }
            n = w;
        }
        int[] out = new int[n];
        System.arraycopy(s, 0, out, 0, n);
        return out;
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id >= RESERVED && id < size()) {
                out.writeBytes(bytes[id]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int size() {
        return bytes.length;
    }

    /** @return the number of learned merges */
    public int merges() {
        return merges.length / 2;
    }

    @Override
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", TYPE);
        List<Object> list = new ArrayList<>();
        for (int v : merges) {
            list.add(v);
        }
        m.put("merges", list);
        return Json.write(m);
    }

    static BpeTokenizer fromMap(Map<?, ?> m) {
        return new BpeTokenizer(Tokenizer.intList(m, "merges"));
    }

    /** Merge learning with incremental pair counts and a lazily cleaned max-heap. */
    private static final class Trainer {
        private final int[][] words;
        private final int[] freq;
        private final Map<Long, Long> counts = new HashMap<>();
        private final Map<Long, Set<Integer>> where = new HashMap<>();
        private final PriorityQueue<long[]> heap = new PriorityQueue<>((a, b) ->
                a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));

        Trainer(Map<String, Integer> chunkCounts) {
            List<String> keys = new ArrayList<>(chunkCounts.keySet());
            keys.sort(null); // a fixed order, so training is deterministic
            words = new int[keys.size()][];
            freq = new int[keys.size()];
            for (int w = 0; w < keys.size(); w++) {
                byte[] b = keys.get(w).getBytes(StandardCharsets.UTF_8);
                words[w] = new int[b.length];
                for (int i = 0; i < b.length; i++) {
                    words[w][i] = RESERVED + (b[i] & 0xff);
                }
                freq[w] = chunkCounts.get(keys.get(w));
                add(w, +1);
            }
            counts.forEach((k, c) -> heap.add(new long[] {c, k}));
        }

        private void add(int w, int sign) {
            int[] s = words[w];
            for (int i = 0; i + 1 < s.length; i++) {
                long k = key(s[i], s[i + 1]);
                long c = counts.merge(k, (long) sign * freq[w], Long::sum);
                if (sign > 0) {
                    where.computeIfAbsent(k, x -> new HashSet<>()).add(w);
                }
                if (c <= 0) {
                    counts.remove(k);
                }
            }
        }

        int[] run(int maxMerges) {
            int[] out = new int[2 * maxMerges];
            int made = 0;
            while (made < maxMerges && !heap.isEmpty()) {
                long[] top = heap.poll();
                Long current = counts.get(top[1]);
                if (current == null || current != top[0]) {
                    continue; // stale entry
                }
                if (current < 2) {
                    break;
                }
                int l = (int) (top[1] >>> 32);
                int r = (int) top[1];
                int id = BASE + made;
                out[2 * made] = l;
                out[2 * made + 1] = r;
                made++;
                Set<Long> touched = new HashSet<>();
                for (int w : where.remove(top[1])) {
                    if (!contains(words[w], l, r)) {
                        continue;
                    }
                    add(w, -1);
                    words[w] = merge(words[w], l, r, id);
                    add(w, +1);
                    for (int i = 0; i + 1 < words[w].length; i++) {
                        touched.add(key(words[w][i], words[w][i + 1]));
                    }
                }
                for (long k : touched) {
                    Long c = counts.get(k);
                    if (c != null) {
                        heap.add(new long[] {c, k});
                    }
                }
            }
            int[] trimmed = new int[2 * made];
            System.arraycopy(out, 0, trimmed, 0, trimmed.length);
            return trimmed;
        }

        private static boolean contains(int[] s, int l, int r) {
            for (int i = 0; i + 1 < s.length; i++) {
                if (s[i] == l && s[i + 1] == r) {
                    return true;
                }
            }
            return false;
        }

        private static int[] merge(int[] s, int l, int r, int id) {
            int[] out = new int[s.length];
            int w = 0;
            for (int i = 0; i < s.length; i++) {
                if (i + 1 < s.length && s[i] == l && s[i + 1] == r) {
                    out[w++] = id;
                    i++;
                } else {
                    out[w++] = s[i];
                }
            }
            int[] t = new int[w];
            System.arraycopy(out, 0, t, 0, w);
            return t;
        }
    }
}
