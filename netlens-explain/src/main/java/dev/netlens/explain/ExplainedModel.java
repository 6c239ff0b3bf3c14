package dev.netlens.explain;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.onnx.OnnxImporter;
import dev.netlens.core.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A model to explain: a graph with one image input and one output (logits), and the SHA-256 of
 * the file it came from (for provenance). Methods reach the engine only through this graph's
 * {@code run()}, traces and composites.
 */
public final class ExplainedModel {
    private final Graph graph;
    private final String input;
    private final String output;
    private final String sha256;

    private ExplainedModel(Graph graph, String input, String output, String sha256) {
        this.graph = graph;
        this.input = input;
        this.output = output;
        this.sha256 = sha256;
    }

    /** A graph with exactly one input and one output. */
    public static ExplainedModel of(Graph graph) {
        if (graph.inputNames().size() != 1 || graph.outputNames().size() < 1) {
            throw new IllegalArgumentException("explanation methods need a model with one input (it has "
                    + graph.inputNames() + ") and an output; name them with of(graph, input, output)");
        }
        String input = graph.inputNames().get(0);
        return new ExplainedModel(batchFlexible(graph, input), input, graph.outputNames().get(0), "");
    }

    /** A graph with a chosen input and output value. */
    public static ExplainedModel of(Graph graph, String input, String output) {
        graph.requireValue(input, "model input");
        graph.requireValue(output, "model output");
        return new ExplainedModel(graph.inputNames().contains(input) ? batchFlexible(graph, input) : graph, input,
                output, "");
    }

    /**
     * Methods evaluate many points at once (integration steps, noise samples, [input; reference]
     * pairs), but models are often exported with a fixed batch of 1. When shape inference shows the
     * graph works unchanged for batches of 2 and 3 — every output keeps the batch as its first
     * extent, which fails where a batch of 1 is baked into a constant the importer does not make
     * row-wise (it does for Reshape targets, see {@code OnnxImporter}) — the batch axis is declared
     * dynamic; otherwise the graph is kept as it is.
     */
    static Graph batchFlexible(Graph graph, String input) {
        int[] declared = graph.inputShape(input);
        if (declared.length == 0 || declared[0] < 0 || graph.inputNames().size() != 1) {
            return graph;
        }
        for (int batch : new int[] {2, 3}) {
            int[] probe = declared.clone();
            probe[0] = batch;
            try {
                Map<String, int[]> shapes = dev.netlens.core.graph.ShapeInference.infer(graph, Map.of(input, probe));
                for (String out : graph.outputNames()) {
                    int[] s = shapes.get(out);
                    if (s == null || s.length == 0 || s[0] != batch) {
                        return graph;
                    }
                }
            } catch (RuntimeException e) {
                return graph;
            }
        }
        int[] dynamic = declared.clone();
        dynamic[0] = -1;
        return graph.withInputShape(input, dynamic);
    }

    /** Loads an ONNX model and records its file hash. */
    public static ExplainedModel load(Path onnx) {
        ExplainedModel m = of(OnnxImporter.load(onnx));
        return new ExplainedModel(m.graph, m.input, m.output, sha256(onnx));
    }

    /**
     * A pass over the graph as the explanation methods run it when a gradient may follow: exact ties
     * of flat image patches kept exact where the graph decides by a maximum
     * ({@link dev.netlens.core.graph.ExactTies}). {@link #forward} does without.
     */
    public dev.netlens.core.graph.Run run() {
        return graph.run().exactTies(true);
    }

    /** The same model with one metadata entry set (e.g. the input normalisation given on a command line). */
    public ExplainedModel withMetadata(String key, String value) {
        return new ExplainedModel(graph.toBuilder().metadata(key, value).build(), input, output, sha256);
    }

    public Graph graph() {
        return graph;
    }

    public String inputName() {
        return input;
    }

    public String outputName() {
        return output;
    }

    /** Hex SHA-256 of the model file, or "" for models built in code. */
    public String sha256() {
        return sha256;
    }

    /** Inference forward pass: the output for a batch of inputs. */
    public Tensor forward(Tensor x) {
        // The fast kernels: which element of a tied window wins changes no output value, only where a
        // gradient goes, and forward-only callers (perturbation methods, metrics) take no gradient.
        return graph.run().outputs(output).forward(java.util.Map.of(input, x)).output();
    }

    /** Hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("cannot hash " + file + ": " + e.getMessage(), e);
        }
    }
}
