package dev.netlens.dissect;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.concepts.BrodenDataset;
import dev.netlens.data.datasets.FloatImage;
import dev.netlens.data.datasets.Transform;
import dev.netlens.data.datasets.Transforms;
import dev.netlens.data.images.ImagePreprocessing;
import dev.netlens.data.images.ImagePreprocessing.Channels;

/**
 * Turns probe images into model input as NetDissect does: each image is resized (bilinear, no
 * crop) to the model's input size, converted to the model's channel order, scaled to [0, 1] and
 * normalised with the model's mean and std — all from the model's {@code netlens.*} metadata
 * unless given explicitly.
 */
final class ProbeImages {
    private final ImagePreprocessing preprocessing;
    private final Transform resize;

    ProbeImages(ImagePreprocessing preprocessing) {
        this.preprocessing = preprocessing;
        this.resize = Transforms.resize(preprocessing.height(), preprocessing.width());
    }

    /** Preprocessing from the graph's metadata, its declared input shape as the fallback size. */
    static ImagePreprocessing fromGraph(Graph graph) {
        if (graph.inputNames().size() != 1) {
            throw new IllegalArgumentException("dissection needs a model with one image input; this one has "
                    + graph.inputNames());
        }
        int[] shape = graph.inputShape(graph.inputNames().get(0));
        int[] fallback = shape.length == 4 && shape[2] > 0 && shape[3] > 0 ? new int[] {shape[2], shape[3]} : null;
        return ImagePreprocessing.fromMetadata(graph.metadata(), null, null, null, null, fallback);
    }

    ImagePreprocessing preprocessing() {
        return preprocessing;
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive) of {@code data} as an NCHW batch. */
    Tensor batch(BrodenDataset data, int from, int to) {
        int c = preprocessing.channels().count();
        int h = preprocessing.height();
        int w = preprocessing.width();
        float[] out = new float[(to - from) * c * h * w];
        // images are decoded and resized in parallel, each into its own slice of the batch
        dev.netlens.core.kernels.Parallel.range(to - from, 1, (a, z) -> {
            for (int i = from + a; i < from + z; i++) {
                fill(data, i, out, (i - from) * c * h * w);
            }
        });
        return Tensor.of(out, to - from, c, h, w);
    }

    private void fill(BrodenDataset data, int image, float[] out, int base) {
        int plane = preprocessing.height() * preprocessing.width();
        float[] mean = preprocessing.mean();
        float[] std = preprocessing.std();
        float[] rgb = resize.apply(data.image(image), null).data();
        for (int p = 0; p < plane; p++) {
            float r = rgb[p];
            float g = rgb[plane + p];
            float b = rgb[2 * plane + p];
            if (preprocessing.channels() == Channels.L) {
                out[base + p] = ((0.299f * r + 0.587f * g + 0.114f * b) - mean[0]) / std[0];
            } else {
                boolean bgr = preprocessing.channels() == Channels.BGR;
                out[base + p] = ((bgr ? b : r) - mean[0]) / std[0];
                out[base + plane + p] = (g - mean[1]) / std[1];
                out[base + 2 * plane + p] = ((bgr ? r : b) - mean[2]) / std[2];
            }
        }
    }
}
