package dev.sequor.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Prints training progress with {@link Progress} (a bar redrawn in place on a terminal, periodic plain
 * lines otherwise) and one line per validation with every column of the history row.
 */
public final class ProgressPrinter implements Callback {

    private final PrintStream out;
    private final boolean terminal;
    private final double secondsApart;
    private Progress progress;

    /** Prints to {@code out}, as a bar if standard output is a terminal, else a line every 5 s. */
    public ProgressPrinter(PrintStream out) {
        this(out, Progress.stdoutIsTerminal(), 5.0);
    }

    /** @param terminal redraw one line in place; @param secondsApart how often plain lines appear */
    public ProgressPrinter(PrintStream out, boolean terminal, double secondsApart) {
        this.out = out;
        this.terminal = terminal;
        this.secondsApart = secondsApart;
    }

    @Override
    public void onTrainBegin(Trainer<?> trainer) {
        int total = trainer.plannedSteps();
        progress = new Progress(out, terminal, Math.max(0, total), secondsApart)
                .resumedAfter(trainer.step());
    }

    @Override
    public void onStepEnd(Trainer<?> trainer, int step, double loss, long tokens) {
        progress.update(step, loss, tokens);
    }

    @Override
    public void onValidation(Trainer<?> trainer, int step, Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder("step ").append(step);
        metrics.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %s %.4f", k, v)));
        progress.note(sb.toString());
    }
}
