package dev.netlens.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NetBuilderTest {

    private static long parameterCount(Graph g) {
        return g.parameters().values().stream().mapToLong(Tensor::size).sum();
    }

    @Test
    void resnet8HasTheParameterCountOfThePyTorchModule() {
        Graph g = Architectures.create("resnet8", new int[] {1, 28, 28}, 10, 1);
        // by hand, as PyTorch counts parameters() + buffers (running mean/var) of the same module:
        // conv1 1*16*9; bn1 4*16; layer1.0: 2 convs 16*16*9, 2 bns; layer2.0: 16*32*9 + 32*32*9 + 1x1 16*32,
        // 3 bns of 32; layer3.0: 32*64*9 + 64*64*9 + 32*64, 3 bns of 64; fc 64*10 + 10
        long expected = 144 + 64
                + 2 * 2304 + 2 * 64
                + 4608 + 9216 + 512 + 3 * 128
                + 18432 + 36864 + 2048 + 3 * 256
                + 650;
        assertEquals(expected, parameterCount(g));
        assertTrue(g.parameters().containsKey("layer2.0.downsample.0.weight"));
        assertTrue(g.parameters().containsKey("layer3.0.bn2.running_var"));
        Tensor y = g.forward(Tensor.randomNormal(new SplittableRandom(1), 1f, 3, 1, 28, 28)).get("logits");
        assertArrayEquals(new int[] {3, 10}, y.shape());
    }

    @Test
    void everyArchitectureBuildsAndRunsOnItsInput() {
        for (String name : Architectures.list()) {
            Graph g = Architectures.create(name, new int[] {3, 32, 32}, 7, 2);
            Tensor y = g.forward(Tensor.randomNormal(new SplittableRandom(1), 1f, 2, 3, 32, 32)).get("logits");
            assertArrayEquals(new int[] {2, 7}, y.shape(), name);
        }
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        Graph a = Architectures.create("lenet5", new int[] {1, 28, 28}, 10, 5);
        Graph b = Architectures.create("lenet5", new int[] {1, 28, 28}, 10, 5);
        Graph c = Architectures.create("lenet5", new int[] {1, 28, 28}, 10, 6);
        assertArrayEquals(a.parameters().get("conv1.weight").data(), b.parameters().get("conv1.weight").data());
        assertTrue(a.parameters().get("conv1.weight").data()[0] != c.parameters().get("conv1.weight").data()[0]);
    }

    @Test
    void initialisersHaveTheirVariance() {
        SplittableRandom r = new SplittableRandom(3);
        int fanIn = 64 * 9;
        int fanOut = 128 * 9;
        double[] expectedVar = {
            2.0 / fanOut, 2.0 / fanIn, 2.0 / (fanIn + fanOut), 1.0 / (3.0 * fanIn)
        };
        Init[] inits = {Init.KAIMING_NORMAL_FAN_OUT, Init.KAIMING_NORMAL_FAN_IN, Init.XAVIER_UNIFORM, Init.PYTORCH_DEFAULT};
        for (int k = 0; k < inits.length; k++) {
            Tensor w = inits[k].weight(r, fanIn, fanOut, 128, 64, 3, 3);
            double s = 0;
            for (float v : w.data()) {
                s += v * v;
            }
            double var = s / w.size();
            assertEquals(expectedVar[k], var, 0.05 * expectedVar[k], inits[k].name());
        }
    }

    @Test
    void sequentialNamesLayersLikePyTorch() {
        NetBuilder b = new NetBuilder(1).input("input", 1, 8, 8);
        String y = b.sequential("features", "input", NetBuilder.Layer.conv2d(4, 3, 1, 1), NetBuilder.Layer.relu(),
                NetBuilder.Layer.maxPool(2, 2), NetBuilder.Layer.flatten(), NetBuilder.Layer.linear(3));
        Graph g = b.build(y);
        assertTrue(g.parameters().containsKey("features.0.weight"));
        assertTrue(g.parameters().containsKey("features.4.bias"));
        assertArrayEquals(new int[] {3}, b.shape(y));
    }

    @Test
    void misuseIsExplained() {
        NetBuilder b = new NetBuilder(1).input("input", 1, 8, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.linear("fc", "input", 3));
        assertTrue(e.getMessage().contains("flatten"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.conv2d("c", "nope", 3, 3, 1, 1));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.conv2d("c", "input", 3, 11, 1, 0));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Architectures.create("resnet9000", new int[] {1, 28, 28}, 10, 1));
        assertTrue(e.getMessage().contains("resnet8"), e.getMessage());
    }
}
