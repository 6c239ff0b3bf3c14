package dev.netlens.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code netlens} command. Every subcommand parses its options, calls library APIs and renders
 * the result. Exit codes: 0 success, 2 bad usage or input (one clear message), 1 internal error.
 */
@Command(name = "netlens", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "See inside convolutional neural networks on the JVM.",
        subcommands = {DemoCommand.class, InspectCommand.class, RunCommand.class, AttributeCommand.class, BenchCommand.class,
            TrainCommand.class, EvalCommand.class, EvaluateCommand.class, ConceptsCommand.class, DissectCommand.class,
            TabularCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. 'netlens demo'");
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "netlens: %4$s: %5$s%6$s%n");
        }
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code (used by tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.FileNotFoundException
                    || ex instanceof java.nio.file.NoSuchFileException) {
                err.println("netlens: " + ex.getMessage());
                return 2;
            }
            err.println("netlens: internal error: " + ex);
            if (System.getenv("NETLENS_DEBUG") != null) {
                ex.printStackTrace(err);
            } else {
                err.println("(set NETLENS_DEBUG=1 for the stack trace)");
            }
            return 1;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("netlens: out of memory (" + e.getMessage() + "); the model or batch needs a larger Java heap:"
                    + " set NETLENS_JAVA_OPTS=-Xmx<size>, e.g. -Xmx8g (maximum now "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB), or evaluate fewer points per pass"
                    + " (--internal-batch for the explanation methods that batch them)");
            return 1;
        }
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"netlens " + (v == null ? "dev" : v)};
        }
    }
}
