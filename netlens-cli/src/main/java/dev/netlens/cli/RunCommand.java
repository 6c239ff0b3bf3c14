package dev.netlens.cli;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.io.Npy;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code netlens run}: one forward pass, output written as .npy. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a model on one input and write its (first) output as .npy; prints the top classes of a classifier.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    InputOptions input;

    @Option(names = "--output", required = true, paramLabel = "Y.npy", description = "Where to write the output tensor.")
    Path output;

    @Option(names = "--force", description = "Overwrite --output if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (!output.getFileName().toString().endsWith(".npy")) {
            throw new IllegalArgumentException("--output must end in .npy, got " + output);
        }
        if (Files.exists(output) && !force) {
            throw new IllegalArgumentException("output " + output + " exists; pass --force to overwrite it");
        }
        Graph g = model.load();
        Tensor x = input.load(g);
        long t0 = System.nanoTime();
        Map<String, Tensor> outputs = g.run().forward(x).outputs();
        double ms = (System.nanoTime() - t0) / 1e6;
        String first = g.outputNames().get(0);
        Tensor y = outputs.get(first);
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Npy.write(output, y);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s %s → %s (%.1f ms)%n", first, Shapes.toString(y.shape()), output, ms);
        if (outputs.size() > 1) {
            out.println("other outputs (not written): " + new ArrayList<>(outputs.keySet()).subList(1, outputs.size()));
        }
        printTopClasses(out, g, y);
        return 0;
    }

    private static void printTopClasses(PrintWriter out, Graph g, Tensor y) {
        if (y.rank() != 2 || y.dim(0) != 1 || y.dim(1) < 2) {
            return;
        }
        List<String> names = ClassNames.of(g, y.dim(1));
        float[] v = y.data();
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Float.compare(v[b], v[a]));
        for (int k = 0; k < Math.min(5, idx.length); k++) {
            int c = idx[k];
            out.printf(Locale.ROOT, "  #%d  class %d%s  %.4f%n", k + 1, c, names == null ? "" : " (" + names.get(c) + ")", v[c]);
        }
    }
}
