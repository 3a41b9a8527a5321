package dev.sequor.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * Rewrites the history as CSV ({@link History#writeCsv}) and, if a PNG path is given, the loss curve
 * ({@link History#writePng}) after every validation, so both are current if training is cut off.
 */
public final class MetricsLog implements Callback {

    private final Path csv;
    private final Path png;
    private final String[] columns;

    /**
     * @param csv     the CSV file
     * @param png     the PNG file, or null for none
     * @param columns the columns to plot; none for {@code loss} and {@code val_loss}
     */
    public MetricsLog(Path csv, Path png, String... columns) {
        this.csv = csv;
        this.png = png;
        this.columns = columns.clone();
    }

    @Override
    public void onValidation(Trainer<?> trainer, int step, Map<String, Double> metrics) {
        csv(trainer.history());
    }

    @Override
    public void onTrainEnd(Trainer<?> trainer, History history) {
        csv(history);
    }

    private void csv(History h) {
        h.writeCsv(csv);
        if (png != null) {
            h.writePng(png, columns);
        }
    }
}
