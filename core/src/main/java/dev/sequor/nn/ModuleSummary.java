package dev.sequor.nn;

import dev.sequor.core.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table {@link Module#summary()} prints, as Keras' {@code model.summary()}: one row per module of
 * the tree (depth first, indented by depth) with its type, its own parameters' shapes and the number of
 * parameters in its subtree; then the totals (trainable: parameters that require gradients; buffers,
 * such as running statistics, are state and counted apart).
 */
final class ModuleSummary {
    private static final int NAME = 36;
    private static final int SHAPES = 44;

    private ModuleSummary() {
    }

    static String of(Module root) {
        List<String[]> rows = new ArrayList<>();
        walk(root, "", 0, rows);
        StringBuilder sb = new StringBuilder();
        String rule = "=".repeat(NAME + SHAPES + 14);
        sb.append(pad("Module (type)", NAME)).append(pad("Own parameters", SHAPES)).append(String.format("%14s", "Param #"))
                .append('\n').append(rule).append('\n');
        for (String[] r : rows) {
            sb.append(pad(r[0], NAME)).append(pad(r[1], SHAPES)).append(String.format("%14s", r[2])).append('\n');
        }
        long total = count(root.namedParameters());
        long trainable = root.namedParameters().values().stream().filter(Tensor::requiresGrad).mapToLong(Tensor::numel).sum();
        long state = root.stateDict().values().stream().mapToLong(Tensor::numel).sum() - total;
        sb.append(rule).append('\n')
                .append(String.format(Locale.ROOT, "Total params: %,d%n", total))
                .append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainable))
                .append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", total - trainable))
                .append(String.format(Locale.ROOT, "Buffer values (not trained): %,d%n", state));
        return sb.toString();
    }

    private static void walk(Module m, String name, int depth, List<String[]> rows) {
        String label = "  ".repeat(depth) + (name.isEmpty() ? "(model)" : name) + " (" + m.getClass().getSimpleName() + ")";
        List<String> own = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : m.ownParameters().entrySet()) {
            own.add(e.getKey() + Arrays.toString(e.getValue().shape()));
        }
        List<String> lines = wrap(own);
        rows.add(new String[] {label, lines.isEmpty() ? "" : lines.get(0),
                String.format(Locale.ROOT, "%,d", count(m.namedParameters()))});
        for (int i = 1; i < lines.size(); i++) {
            rows.add(new String[] {"", lines.get(i), ""});
        }
        m.children().forEach((k, c) -> walk(c, k, depth + 1, rows));
    }

    /** Joins parameter descriptions with ", " into lines that fit the column. */
    private static List<String> wrap(List<String> items) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String s : items) {
            if (!line.isEmpty() && line.length() + 2 + s.length() > SHAPES - 1) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : ", ").append(s);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static long count(Map<String, Tensor> params) {
        return params.values().stream().mapToLong(Tensor::numel).sum();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s.substring(0, width - 1) + " " : s + " ".repeat(width - s.length());
    }
}
