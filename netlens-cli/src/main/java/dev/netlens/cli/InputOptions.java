package dev.netlens.cli;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.io.Npy;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.images.ImagePreprocessing;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The input of a model: a .npy tensor or an image file with its preprocessing options. */
final class InputOptions {
    @Option(names = "--input", required = true, paramLabel = "X.npy|IMG",
            description = "Input tensor (.npy, float32 or convertible, with or without the batch axis) or image "
                    + "(PNG, JPEG, BMP), preprocessed from the model's metadata or the options below.")
    Path input;

    @Option(names = "--size", paramLabel = "H,W", description = "Image input size (default: netlens.input_size "
            + "metadata, else the model's input shape).")
    String size;

    @Option(names = "--mean", paramLabel = "M[,M,M]", description = "Per-channel mean for pixels in [0,1] "
            + "(default: netlens.mean metadata, else 0); LRP's zB bounds (epsilon-gamma-box) follow it too.")
    String mean;

    @Option(names = "--std", paramLabel = "S[,S,S]", description = "Per-channel std (default: netlens.std metadata, else 1); LRP's zB bounds follow it too.")
    String std;

    @Option(names = "--channels", paramLabel = "RGB|BGR|L", description = "Channel order (default: netlens.channels "
            + "metadata, else RGB).")
    String channels;

    /** The input tensor for the graph's single input, with the batch axis. */
    Tensor load(Graph graph) {
        if (graph.inputNames().size() != 1) {
            throw new IllegalArgumentException("the model has " + graph.inputNames().size() + " inputs "
                    + graph.inputNames() + "; netlens run takes models with one input");
        }
        return load(graph.inputShape(graph.inputNames().get(0)), graph.metadata());
    }

    /** The input tensor for a model input of this declared shape (−1 = any) and metadata. */
    Tensor load(int[] declared, java.util.Map<String, String> metadata) {
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        Tensor x;
        if (name.endsWith(".npy")) {
            x = Npy.read(input);
            if (x.rank() == declared.length - 1) {
                int[] s = new int[declared.length];
                s[0] = 1;
                System.arraycopy(x.shape(), 0, s, 1, x.rank());
                x = x.reshape(s);
            }
        } else {
            ImagePreprocessing pre = preprocessing(declared, metadata);
            if (declared.length != 4 || (declared[1] > 0 && declared[1] != pre.channels().count())) {
                throw new IllegalArgumentException("the model input has shape " + Shapes.toString(declared)
                        + ", which does not take " + pre.channels() + " images");
            }
            x = pre.load(input);
        }
        boolean ok = x.rank() == declared.length;
        for (int d = 0; ok && d < declared.length; d++) {
            ok = declared[d] < 0 || declared[d] == x.dim(d);
        }
        if (!ok) {
            throw new IllegalArgumentException("input " + input + " has shape " + Shapes.toString(x.shape())
                    + " but the model expects " + Shapes.toString(declared) + " (-1 = any)");
        }
        return x;
    }

    /** The image preprocessing for this model: flags first, then the model's netlens.* metadata. */
    ImagePreprocessing preprocessing(Graph graph) {
        return preprocessing(graph.inputShape(graph.inputNames().get(0)), graph.metadata());
    }

    /** The image preprocessing for a model input of this declared shape and metadata. */
    ImagePreprocessing preprocessing(int[] declared, java.util.Map<String, String> metadata) {
        int[] fallback = declared.length == 4 && declared[2] > 0 && declared[3] > 0
                ? new int[] {declared[2], declared[3]} : null;
        return ImagePreprocessing.fromMetadata(metadata,
                size == null ? null : ImagePreprocessing.parseInts(size, "--size"),
                mean == null ? null : ImagePreprocessing.parseFloats(mean, "--mean"),
                std == null ? null : ImagePreprocessing.parseFloats(std, "--std"), channels, fallback);
    }
}
