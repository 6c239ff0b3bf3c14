package dev.netlens.cli;

import dev.netlens.dissect.Dissection;
import java.io.PrintWriter;

/** A progress bar per pass of a dissection (thresholds, then IoU), with ETA. */
final class DissectionProgress implements Dissection.Listener {
    private final PrintWriter err;
    private final String label;
    private ProgressBar bar;
    private int pass = -1;

    DissectionProgress(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    @Override
    public void batchDone(Dissection.Progress p) {
        if (p.pass() != pass) {
            // images done before this bar's first batch (a resumed pass) are left out of the rate
            bar = new ProgressBar(err, label + p.pass() + "/" + p.passes() + " (" + p.passName() + ")", p.images(),
                    Math.max(0, p.imagesDone() - 1));
            pass = p.pass();
        }
        bar.update(p.imagesDone(), "");
    }
}
