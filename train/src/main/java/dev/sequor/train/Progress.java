package dev.sequor.train;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress: a one-line bar redrawn in place ({@code \r}) on a terminal, plain periodic
 * lines otherwise (a pipe, a file, CI logs), so logs stay readable.
 *
 * <pre>
 *   [=========>          ]  450/1000  loss 0.4121  12,345 tok/s  ETA 0:37
 * </pre>
 */
public final class Progress {

    private final PrintStream out;
    private final boolean terminal;
    private final int total;
    private final long start = System.nanoTime();
    private final long lineEveryNanos;
    private long lastPrint;
    private long tokens;
    private int firstStep;

    /**
     * @param out          where to write
     * @param terminal     true to redraw one line in place, false for plain lines
     * @param total        the number of steps, or 0 when unknown (no bar, no ETA)
     * @param secondsApart how often plain lines appear
     */
    public Progress(PrintStream out, boolean terminal, int total, double secondsApart) {
        this.out = out;
        this.terminal = terminal;
        this.total = total;
        this.lineEveryNanos = (long) (secondsApart * 1e9);
    }

    /**
     * @return whether standard output is an interactive terminal: {@code System.console()} exists
     *         and (JDK 22+) {@code isTerminal()} — false when output is piped or redirected
     */
    public static boolean stdoutIsTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Starts counting after {@code done} steps of an earlier run, so rates and ETA cover this run only. */
    public Progress resumedAfter(int done) {
        this.firstStep = done;
        return this;
    }

    /** Records step {@code step} (1-based) with its loss and the tokens it processed. */
    public void update(int step, double loss, long stepTokens) {
        tokens += stepTokens;
        long now = System.nanoTime();
        boolean last = step == total;
        if (terminal) {
            if (now - lastPrint > 100_000_000L || last) {
                out.print("\r" + line(step, loss, now, true));
                if (last) {
                    out.println();
                }
                out.flush();
                lastPrint = now;
            }
        } else if (now - lastPrint >= lineEveryNanos || last || step == firstStep + 1) {
            out.println(line(step, loss, now, false));
            out.flush();
            lastPrint = now;
        }
    }

    /** Prints {@code message} on a line of its own, below the bar on a terminal. */
    public void note(String message) {
        if (terminal) {
            out.print("\r\033[K");
        }
        out.println(message);
        out.flush();
        lastPrint = 0;
    }

    /** @return seconds since construction */
    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    String line(int step, double loss, long now, boolean bar) {
        double secs = Math.max(1e-9, (now - start) / 1e9);
        double perStep = secs / Math.max(1, step - firstStep);
        long eta = Math.round(perStep * (total - step));
        String rate = String.format(Locale.ROOT, "%,d tok/s", Math.round(tokens / secs));
        if (total <= 0) {
            return String.format(Locale.ROOT, "step %d  loss %.4f  %s  time %d:%02d", step, loss, rate,
                    Math.round(secs) / 60, Math.round(secs) % 60);
        }
        String tail = String.format(Locale.ROOT, "%5d/%d  loss %.4f  %s  %s %d:%02d", step, total, loss, rate,
                step == total ? "time" : "ETA", (step == total ? Math.round(secs) : eta) / 60,
                (step == total ? Math.round(secs) : eta) % 60);
        if (!bar) {
            return "step " + tail.strip();
        }
        int width = 24;
        int filled = (int) ((long) width * step / total);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < width; i++) {
            sb.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        return sb.append("] ").append(tail).toString();
    }
}
