package dev.netlens.dissect;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.nn.NetBuilder;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.concepts.BrodenDataset;
import dev.netlens.data.concepts.ConceptSceneGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared test fixture: 40 generated concept scenes at 32×32 and a small random-weight conv net. */
final class ProbeData {
    static final int IMAGES = 40;
    static final int SIZE = 32;
    private static BrodenDataset data;

    private ProbeData() {
    }

    static synchronized BrodenDataset data() {
        if (data == null) {
            try {
                Path dir = Files.createTempDirectory("netlens-dissect-probe");
                ConceptSceneGenerator.builder().size(SIZE).seed(3).threads(1).build().generate(dir, IMAGES);
                data = BrodenDataset.open(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return data;
    }

    /** conv(3→4, 3x3) → relu → maxpool 2 ("pool1", 16x16) → conv(4→6, 3x3, stride 2) ("conv2", 8x8). */
    static Graph randomNet() {
        NetBuilder b = new NetBuilder(7).input("input", 3, SIZE, SIZE);
        String x = b.conv2d("conv1", "input", 4, 3, 1, 1);
        x = b.relu("relu1", x);
        x = b.maxPool("pool1", x, 2, 2);
        x = b.conv2d("conv2", x, 6, 3, 2, 1);
        return b.build(x);
    }

    /** Image {@code i} as a [1, 3, 32, 32] tensor (the images already have the model's size; no normalisation). */
    static Tensor input(BrodenDataset data, int i) {
        return Tensor.of(data.image(i).data().clone(), 1, 3, SIZE, SIZE);
    }
}
