package dev.netlens.cli;

import dev.netlens.data.concepts.ConceptGrid;
import dev.netlens.data.concepts.ConceptSceneGenerator;
import dev.netlens.data.concepts.ConceptStatistics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code netlens concepts generate|show}: synthetic concept scenes in the Broden layout, and a picture of them. */
@Command(name = "concepts", mixinStandardHelpOptions = true,
        description = "Concept data in the Broden layout: generate synthetic concept scenes with known answers, or show scenes with their masks.",
        subcommands = {ConceptsCommand.Generate.class, ConceptsCommand.Show.class, CommandLine.HelpCommand.class})
final class ConceptsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: generate or show");
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write N concept scenes (colours, textures, objects made of parts, landmarks, scenes) in the Broden layout.")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (must be empty or absent unless --force).")
        Path out;

        @Option(names = "--count", defaultValue = "1000", description = "Number of scenes (default: ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--size", defaultValue = "112", description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--seed", defaultValue = "0", description = "Seed; the same seed gives byte-identical files (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--val-fraction", defaultValue = "0.1", description = "Fraction of scenes in the val split (default: ${DEFAULT-VALUE}).")
        double valFraction;

        @Option(names = "--force", description = "Write into a non-empty directory (files of the same names are replaced).")
        boolean force;

        @Override
        public Integer call() throws IOException {
            if (count < 1) {
                throw new IllegalArgumentException("--count must be >= 1, got " + count);
            }
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
            }
            if (Files.isDirectory(out) && !force) {
                try (Stream<Path> s = Files.list(out)) {
                    if (s.findAny().isPresent()) {
                        throw new IllegalArgumentException("--out " + out + " is not empty; choose an empty directory or pass --force");
                    }
                }
            }
            ConceptSceneGenerator generator = ConceptSceneGenerator.builder().size(size).seed(seed)
                    .valFraction(valFraction).threads(dev.netlens.core.kernels.Parallel.threads()).build();
            long t0 = System.nanoTime();
            ConceptStatistics stats = generator.generate(out, count);
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "%d scenes of %dx%d written to %s in %.1f s (%d images counted in the statistics)%n", count,
                    size, size, out, (System.nanoTime() - t0) / 1e9, stats.images());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Draw the first N images of a Broden-format directory with their object and part masks outlined and labelled.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "A Broden-format directory (index.csv, label.csv, …).")
        Path data;

        @Option(names = "--count", defaultValue = "16", description = "Number of images (default: ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--out", required = true, paramLabel = "grid.png", description = "The PNG to write.")
        Path out;

        @Option(names = "--force", description = "Overwrite --out if it exists.")
        boolean force;

        @Override
        public Integer call() {
            if (count < 1) {
                throw new IllegalArgumentException("--count must be >= 1, got " + count);
            }
            if (!Files.isDirectory(data)) {
                throw new IllegalArgumentException("--data " + data + " is not a directory");
            }
            if (Files.exists(out) && !force) {
                throw new IllegalArgumentException(out + " already exists; pass --force to overwrite it");
            }
            ConceptGrid.write(data, count, out);
            spec.commandLine().getOut().println("wrote " + out);
            return 0;
        }
    }
}
