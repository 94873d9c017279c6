package io.lfvit.trainer.train;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A progress bar for long work: redrawn in place on a terminal, one line every few percent in a
 * log file, with rate and ETA from the steps done in this process.
 */
public final class Progress {
    private static final int WIDTH = 28;
    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private final long startDone;
    private long lastLoggedPercentStep = -1;

    public Progress(PrintStream out, String label, long total, long alreadyDone) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.startDone = alreadyDone;
        this.interactive = System.console() != null;
    }

    /** Reports {@code done} of total with a free-form status such as loss and accuracy. */
    public void update(long done, String status) {
        long percentStep = done * 50 / total;
        boolean last = done >= total;
        if (!interactive && percentStep == lastLoggedPercentStep && !last) {
            return;
        }
        lastLoggedPercentStep = percentStep;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long doneHere = done - startDone;
        double rate = doneHere / Math.max(seconds, 1e-9);
        String eta = doneHere > 0 ? format(Duration.ofSeconds((long) ((total - done) / rate))) : "?";
        int filled = (int) (WIDTH * done / total);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String line = String.format("%s [%s] %d/%d %3d%% %s | %.2f it/s | ETA %s",
                label, bar, done, total, 100 * done / total, status, rate, eta);
        if (interactive) {
            out.print("\r" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String format(Duration d) {
        long h = d.toHours();
        long m = d.toMinutesPart();
        long s = d.toSecondsPart();
        return h > 0 ? String.format("%dh%02dm", h, m) : String.format("%dm%02ds", m, s);
    }
}
