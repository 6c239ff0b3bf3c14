package dev.netlens.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar with rate and ETA on stderr, redrawn in place at most 5 times a second
 * on a terminal; without a terminal (CI logs, pipes) a plain line every 10 %.
 */
final class ProgressBar {
    private final PrintWriter err;
    private final boolean terminal;
    private final String label;
    private final long total;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private int lastDecile = -1;
    private final long alreadyDone;

    /** {@code alreadyDone}: units done before this bar started (a resumed run), excluded from the rate. */
    ProgressBar(PrintWriter err, String label, long total, long alreadyDone) {
        this.err = err;
        this.terminal = System.console() != null;
        this.label = label;
        this.total = Math.max(1, total);
        this.alreadyDone = alreadyDone;
    }

    /** Shows {@code done} of {@code total} units with a status text. */
    void update(long done, String status) {
        long now = System.nanoTime();
        int decile = (int) (10 * done / total);
        boolean last = done >= total;
        if (terminal) {
            if (!last && now - lastDraw < 200_000_000L) {
                return;
            }
            lastDraw = now;
            err.print("\r" + line(done, now, status) + "\u001b[K");
            if (last) {
                err.println();
            }
            err.flush();
        } else if (decile != lastDecile || last) {
            lastDecile = decile;
            err.println(line(done, now, status));
            err.flush();
        }
    }

    private String line(long done, long now, String status) {
        int width = 24;
        int filled = (int) (width * Math.min(done, total) / total);
        String bar = "=".repeat(filled) + (filled < width ? ">" + " ".repeat(width - filled - 1) : "");
        double seconds = (now - startNanos) / 1e9;
        long since = done - alreadyDone;
        String eta = since > 0 ? format((total - done) * seconds / since) : "--:--";
        return String.format(Locale.ROOT, "%s [%s] %d/%d %s elapsed %s ETA %s", label, bar, done, total, status,
                format(seconds), eta);
    }

    static String format(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
