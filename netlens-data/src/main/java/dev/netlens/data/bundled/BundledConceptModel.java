package dev.netlens.data.bundled;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.onnx.OnnxImporter;
import dev.netlens.core.onnx.OnnxReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The concept model that ships with netlens: a {@code resnet8} trained by {@code netlens train} to
 * name the main object of synthetic concept scenes ({@link dev.netlens.data.concepts}), 48×48 RGB
 * inputs in [0, 1], 12 classes. Probe data is not shipped: it is regenerated from a seed with
 * {@code netlens concepts generate} (the README gives the exact commands and the measured accuracy).
 */
public final class BundledConceptModel {
    private static final String RESOURCE = "/dev/netlens/data/bundled/concepts/model.onnx";

    private BundledConceptModel() {
    }

    /** The layers worth dissecting (the outputs of the last two residual stages). */
    public static List<String> dissectionLayers() {
        return List.of("layer2.0.relu2", "layer3.0.relu2");
    }

    /** Loads the model (a new graph on every call). */
    public static Graph model() {
        byte[] bytes = modelBytes();
        return OnnxImporter.importModel(OnnxReader.read(bytes, null, "bundled concept model"), "bundled concept model");
    }

    /** The model file's bytes. */
    public static byte[] modelBytes() {
        try (InputStream in = BundledConceptModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource " + RESOURCE + " is missing from the netlens jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled resource " + RESOURCE, e);
        }
    }
}
