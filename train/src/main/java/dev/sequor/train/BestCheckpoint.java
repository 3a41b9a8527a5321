package dev.sequor.train;

import dev.sequor.io.ModelFile;
import dev.sequor.text.Tokenizer;

import java.nio.file.Path;
import java.util.Map;

/**
 * Saves the model with {@link ModelFile#save} (atomically: a reader never sees half a file) whenever a
 * monitored validation metric improves on its best value so far, as Keras'
 * {@code ModelCheckpoint(save_best_only=True)}. The file also records {@code sequor.train.step} and the
 * monitored value, so {@link ModelFile#load} gives back the best model.
 */
public final class BestCheckpoint implements Callback {

    private final Path file;
    private final String kind;
    private final String configJson;
    private final Tokenizer tokenizer;
    private final String monitor;
    private final boolean maximize;
    private double best;
    private int bestStep = -1;

    /**
     * @param kind       the model kind {@link ModelFile#load} rebuilds it with
     * @param configJson the model's configuration
     * @param tokenizer  saved with it, or null
     * @param monitor    the history column to watch ({@code val_loss})
     * @param maximize   true for a metric that should rise
     */
    public BestCheckpoint(Path file, String kind, String configJson, Tokenizer tokenizer, String monitor,
                          boolean maximize) {
        this.file = file;
        this.kind = kind;
        this.configJson = configJson;
        this.tokenizer = tokenizer;
        this.monitor = monitor;
        this.maximize = maximize;
        this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    @Override
    public void onValidation(Trainer<?> trainer, int step, Map<String, Double> metrics) {
        Double v = metrics.get(monitor);
        if (v == null) {
            throw new IllegalStateException("BestCheckpoint: no column '" + monitor + "' in " + metrics.keySet());
        }
        if (maximize ? v > best : v < best) {
            best = v;
            bestStep = step;
            ModelFile.save(file, trainer.model(), kind, configJson, tokenizer,
                    Map.of("sequor.train.step", Integer.toString(step), "sequor.train." + monitor, Double.toString(v)));
        }
    }

    /** @return the best value seen */
    public double best() {
        return best;
    }

    /** @return the step of the saved model, or -1 before the first save */
    public int bestStep() {
        return bestStep;
    }
}
