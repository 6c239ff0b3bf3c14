package dev.netlens.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process for command tests and keeps what it printed. */
abstract class CliTestBase {
    /** Standard output and error of the last {@link #run}. */
    protected String out;
    protected String err;

    /** Runs {@code netlens args…}; returns the exit code. */
    protected int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(args, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }
}
