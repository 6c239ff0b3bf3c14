package dev.netlens.cli;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.onnx.OnnxImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model} option shared by commands that load an ONNX model. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "M.onnx", description = "The ONNX model file.")
    Path model;

    /** Loads the model; a missing file or an unreadable model is a usage error (exit 2). */
    Graph load() {
        Warmup.start();
        if (!Files.exists(model)) {
            throw new IllegalArgumentException("model file " + model + " does not exist");
        }
        if (Files.isDirectory(model)) {
            throw new IllegalArgumentException("model path " + model + " is a directory; give the .onnx file");
        }
        return OnnxImporter.load(model);
    }
}
