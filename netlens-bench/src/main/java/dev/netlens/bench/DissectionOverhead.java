package dev.netlens.bench;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.nn.ResNets;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.concepts.BrodenDataset;
import dev.netlens.data.concepts.ConceptSceneGenerator;
import dev.netlens.data.datasets.FloatImage;
import dev.netlens.data.datasets.Transform;
import dev.netlens.data.datasets.Transforms;
import dev.netlens.dissect.Dissection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Issue 7's overhead measure: the time of a dissection of one layer against the forward passes
 * alone over the same images (inputs prepared outside the timer, so the ratio is conservative:
 * the dissection's time also includes decoding images and segmentations). A random-weight ResNet-18
 * at 224×224 on generated concept scenes; medians of {@code rounds} alternating runs.
 *
 * <pre>java -cp netlens-bench/target/benchmarks.jar dev.netlens.bench.DissectionOverhead [IMAGES] [ROUNDS] [LAYER]</pre>
 */
public final class DissectionOverhead {
    private DissectionOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String layer = args.length > 2 ? args[2] : "layer3.1.relu2";
        int batch = 16;
        Path dir = Files.createTempDirectory("netlens-dissection-overhead");
        ConceptSceneGenerator.builder().seed(5).build().generate(dir, images);
        BrodenDataset data = BrodenDataset.open(dir);
        Graph graph = ResNets.resnet18(10, 1).toBuilder().metadata("netlens.input_size", "224,224").build();
        Transform resize = Transforms.resize(224, 224);
        Tensor[] batches = new Tensor[(images + batch - 1) / batch];
        for (int b = 0; b < batches.length; b++) {
            int from = b * batch;
            int to = Math.min(images, from + batch);
            float[] x = new float[(to - from) * 3 * 224 * 224];
            for (int i = from; i < to; i++) {
                FloatImage img = resize.apply(data.image(i), null);
                System.arraycopy(img.data(), 0, x, (i - from) * 3 * 224 * 224, 3 * 224 * 224);
            }
            batches[b] = Tensor.of(x, to - from, 3, 224, 224);
        }
        Dissection dissection = Dissection.builder(graph, layer).batchSize(batch).build();
        double[] forward = new double[rounds];
        double[] dissect = new double[rounds];
        for (Tensor t : batches) { // warm-up
            graph.run().outputs(layer).forward(t);
        }
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (Tensor t : batches) {
                graph.run().outputs(layer).forward(t);
            }
            forward[r] = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            dissection.run(data, Dissection.Listener.NONE, null);
            dissect[r] = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "round %d: forward passes %.2f s, dissection %.2f s%n", r + 1, forward[r], dissect[r]);
        }
        Arrays.sort(forward);
        Arrays.sort(dissect);
        double f = forward[rounds / 2];
        double d = dissect[rounds / 2];
        System.out.printf(Locale.ROOT, "%d images, ResNet-18 %s at 224x224: forward passes %.2f s, dissection %.2f s, ratio %.2f%n",
                images, layer, f, d, d / f);
    }
}
