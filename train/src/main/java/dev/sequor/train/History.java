package dev.sequor.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The metrics {@link Trainer#fit} recorded, one row per validation point, as Keras' {@code History}.
 * Training columns ({@code loss}, {@code accuracy}, ...) are means over the steps since the previous row;
 * validation columns carry a {@code val_} prefix.
 */
public final class History {

    /**
     * One report.
     *
     * @param step   completed steps
     * @param epoch  the epoch it fell in, from 0
     * @param lr     the learning rate of the last step
     * @param values metric values by column name, in column order
     */
    public record Row(int step, int epoch, double lr, Map<String, Double> values) {
        /** Copies the values, keeping their order. */
        public Row {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    private final List<Row> rows = new ArrayList<>();

    /** Appends a row. */
    public void add(Row row) {
        rows.add(row);
    }

    /** @return every row, oldest first */
    public List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** @return the last row, or null before the first */
    public Row last() {
        return rows.isEmpty() ? null : rows.get(rows.size() - 1);
    }

    /** @return column {@code name} over the rows (NaN where a row lacks it) */
    public double[] series(String name) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i).values().getOrDefault(name, Double.NaN);
        }
        return out;
    }

    /** @return the steps of the rows */
    public int[] steps() {
        return rows.stream().mapToInt(Row::step).toArray();
    }

    /** @return every metric column name, in first-seen order */
    public Set<String> columns() {
        Set<String> cols = new LinkedHashSet<>();
        rows.forEach(r -> cols.addAll(r.values().keySet()));
        return cols;
    }

    /**
     * Writes {@code step,epoch,lr,<columns...>} and one line per row (empty cell for a missing value),
     * atomically (a temporary file renamed over {@code file}).
     */
    public void writeCsv(Path file) {
        StringBuilder sb = new StringBuilder("step,epoch,lr");
        Set<String> cols = columns();
        cols.forEach(c -> sb.append(',').append(c));
        sb.append('\n');
        for (Row r : rows) {
            sb.append(r.step()).append(',').append(r.epoch()).append(',').append(num(r.lr()));
            for (String c : cols) {
                Double v = r.values().get(c);
                sb.append(',').append(v == null || v.isNaN() ? "" : num(v));
            }
            sb.append('\n');
        }
        writeAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Draws the given columns (default {@code loss}, and {@code val_loss} if any row has one) against step as a PNG ({@link LinePlot}). */
    public void writePng(Path file, String... columns) {
        String[] cols = columns;
        if (cols.length == 0) {
            // the defaults: loss, and val_loss only if a validation recorded one (no empty legend entry)
            boolean validated = Arrays.stream(series("val_loss")).anyMatch(Double::isFinite);
            cols = validated ? new String[] {"loss", "val_loss"} : new String[] {"loss"};
        }
        LinePlot plot = new LinePlot("step", String.join(", ", cols));
        int[] steps = steps();
        double[] x = new double[steps.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = steps[i];
        }
        for (String c : cols) {
            plot.series(c, x, series(c));
        }
        plot.write(file, 640, 400);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    static void writeAtomically(Path file, byte[] content) {
        try {
            Path abs = file.toAbsolutePath();
            Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
            try {
                Files.write(tmp, content);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        }
    }
}
