package dev.netlens.data.bundled;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.onnx.OnnxImporter;
import dev.netlens.core.onnx.OnnxReader;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.datasets.IdxDataset;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The model that ships with netlens: a small residual CNN ({@code resnet8}, 78 k parameters)
 * trained by {@code netlens train} on Fashion-MNIST (Xiao, Rasul and Vollgraf, "Fashion-MNIST: a
 * Novel Image Dataset for Benchmarking Machine Learning Algorithms", 2017), and 100 test images
 * (the first 10 of each class) to try it on. Inputs are [N, 1, 28, 28] grayscale pixels in [0, 1]
 * (no normalisation); the output "logits" has the 10 classes of {@link #classNames()}.
 *
 * <p>The exact training command and the measured test accuracy are in the README; the samples
 * were written by {@code netlens-data/scripts/make_fashion_samples.py}.
 */
public final class BundledFashionMnist {
    private static final String ROOT = "/dev/netlens/data/bundled/fashion-mnist/";

    /** One bundled test image: [1, 1, 28, 28] in [0, 1]. */
    public record Sample(String file, int label, int testIndex, Tensor image) {
    }

    private BundledFashionMnist() {
    }

    /** The 10 class names, in label order. */
    public static List<String> classNames() {
        return IdxDataset.FASHION_MNIST_CLASSES;
    }

    /** Loads the bundled model (a new graph on every call). */
    public static Graph model() {
        byte[] bytes = resource("model.onnx");
        return OnnxImporter.importModel(OnnxReader.read(bytes, null, "bundled Fashion-MNIST model"),
                "bundled Fashion-MNIST model");
    }

    /** The bundled model file's bytes (e.g. to write it out for other tools). */
    public static byte[] modelBytes() {
        return resource("model.onnx");
    }

    /** The 100 sample images with their labels, in test-set order. */
    public static List<Sample> samples() {
        String csv = new String(resource("samples/samples.csv"), StandardCharsets.UTF_8);
        List<Sample> out = new ArrayList<>();
        for (String line : csv.split("\n")) {
            if (line.isBlank() || line.startsWith("file,")) {
                continue;
            }
            String[] f = line.split(",");
            out.add(new Sample(f[0], Integer.parseInt(f[1].trim()), Integer.parseInt(f[2].trim()), image(f[0])));
        }
        return out;
    }

    private static Tensor image(String file) {
        try (InputStream in = BundledFashionMnist.class.getResourceAsStream(ROOT + "samples/" + file)) {
            if (in == null) {
                throw new IllegalStateException("bundled sample " + file + " is missing from the netlens jar");
            }
            BufferedImage img = ImageIO.read(in);
            Raster r = img.getRaster();
            float[] px = new float[28 * 28];
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    px[y * 28 + x] = r.getSample(x, y, 0) / 255f;
                }
            }
            return Tensor.of(px, 1, 1, 28, 28);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled sample " + file, e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = BundledFashionMnist.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource " + name + " is missing from the netlens jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled resource " + name, e);
        }
    }
}
