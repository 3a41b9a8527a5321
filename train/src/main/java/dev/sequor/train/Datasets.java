package dev.sequor.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Datasets as lists, and their batches per epoch: from a list, the lines of a text file, or the rows of
 * a TSV/CSV file (RFC 4180 quoting: a field in double quotes may hold the separator, newlines and
 * doubled quotes). {@link #batches} cuts a seeded shuffle of a list into batches, each made by a
 * caller's function (typically {@link Batches#pad} of the items' token ids).
 */
public final class Datasets {

    private Datasets() {
    }

    /** @return the non-empty lines of a UTF-8 text file, without line terminators */
    public static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    /**
     * @param separator {@code '\t'} for TSV, {@code ','} for CSV
     * @param header    true to drop the first row
     * @return the rows of a UTF-8 file, each as its fields
     * @throws IllegalArgumentException for a quote left open at the end of the file
     */
    public static List<String[]> rows(Path file, char separator, boolean header) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        List<String[]> rows = parse(text, separator, file.toString());
        return header && !rows.isEmpty() ? rows.subList(1, rows.size()) : rows;
    }

    static List<String[]> parse(String text, char sep, String source) {
        List<String[]> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"' && f.isEmpty()) {
                quoted = true;
                any = true;
            } else if (c == sep) {
                fields.add(f.toString());
                f.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || !f.isEmpty()) {
                    fields.add(f.toString());
                    rows.add(fields.toArray(String[]::new));
                }
                fields.clear();
                f.setLength(0);
                any = false;
            } else {
                f.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(source + ": a quoted field is not closed at the end of the file");
        }
        if (any || !f.isEmpty()) {
            fields.add(f.toString());
            rows.add(fields.toArray(String[]::new));
        }
        return rows;
    }

    /**
     * The batches of each epoch: the items in the order {@link Batches#shuffledOrder} gives for
     * {@code (seed, epoch)} (or in list order when {@code shuffle} is false), cut into groups of
     * {@code batchSize} (the last may be smaller), each group made into a batch by {@code collate}.
     * Batches are made as they are iterated; each epoch is a collection that knows its batch count.
     */
    public static <T, B> EpochSource<B> batches(List<T> items, int batchSize, boolean shuffle, long seed,
                                                Function<List<T>, B> collate) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Datasets.batches: batchSize must be >= 1, got " + batchSize);
        }
        int count = (items.size() + batchSize - 1) / batchSize;
        return epoch -> new AbstractCollection<B>() {
            @Override
            public int size() {
                return count;
            }

            @Override
            public Iterator<B> iterator() {
                return batchIterator(items, batchSize, shuffle, seed, epoch, collate);
            }
        };
    }

    private static <T, B> Iterator<B> batchIterator(List<T> items, int batchSize, boolean shuffle, long seed,
                                                              int epoch, Function<List<T>, B> collate) {
        return new Iterator<>() {
            private final int[] order = shuffle ? Batches.shuffledOrder(items.size(), seed, epoch) : identity(items.size());
            private int next;

            @Override
            public boolean hasNext() {
                return next < order.length;
            }

            @Override
            public B next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<T> group = new ArrayList<>();
                for (int i = next; i < Math.min(order.length, next + batchSize); i++) {
                    group.add(items.get(order[i]));
                }
                next += batchSize;
                return collate.apply(group);
            }
        };
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}
