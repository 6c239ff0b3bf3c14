package dev.netlens.core.graph;

import static dev.netlens.core.ops.OpHarness.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.ops.OpHarness;
import dev.netlens.core.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MemoryAndDeterminismTest {

    @Test
    void inferenceKeepsOnlyTheLiveFrontier() {
        Graph chain = TestNets.chain(20, 1);
        Tensor x = Tensor.randomNormal(new SplittableRandom(2), 1f, 1, 8, 16, 16);
        long activationBytes = 4L * x.size();
        MemoryStats inference = chain.run().forward(x).memory();
        // At any time: the input of the running node and its output.
        assertTrue(inference.peakLiveTensors() <= 2, "peak live tensors " + inference.peakLiveTensors());
        assertTrue(inference.peakLiveBytes() <= 2 * activationBytes, "peak live bytes " + inference.peakLiveBytes());
        assertEquals(1, inference.heldTensors(), "only the output is held afterwards");

        // Recording keeps what the 40 VJPs need: conv inputs and relu inputs (one tensor each).
        MemoryStats recorded = chain.run().record().forward(x).memory();
        assertTrue(recorded.heldTensors() >= 40, "recorded held " + recorded.heldTensors());
        MemoryStats all = chain.run().record(Retention.ALL).forward(x).memory();
        assertTrue(all.heldTensors() >= recorded.heldTensors());
    }

    /**
     * Plain forward passes take their intermediate arrays from the thread's shared arena (the test
     * JVM's arena poisons what it recycles): what a trace hands out — outputs and taps — is copied
     * out and survives the next pass, which reuses the first one's arrays.
     */
    @Test
    void inferenceOutputsAndTapsSurviveTheNextPass() {
        SplittableRandom r = new SplittableRandom(4);
        Graph.Builder b = Graph.builder();
        b.input("x", 1, 8, 96, 96); // 73 728 floats: large enough for the arena
        String v = "x";
        for (int i = 0; i < 2; i++) {
            b.parameter("w" + i, Tensor.randomNormal(r, 0.2f, 8, 8, 3, 3));
            v = b.add("conv" + i, dev.netlens.core.ops.Conv.of(1, 1), v, "w" + i);
            v = b.add("relu" + i, new dev.netlens.core.ops.Relu(), v);
        }
        b.output(v);
        Graph g = b.build();
        Tensor x1 = Tensor.randomNormal(r, 1f, 1, 8, 96, 96);
        Tensor x2 = Tensor.randomNormal(r, 1f, 1, 8, 96, 96);
        Trace first = g.run().tap("conv0").forward(x1);
        long reusedBefore = dev.netlens.core.tensor.TensorArena.reusedArrays();
        Trace second = g.run().tap("conv0").forward(x2);
        assertTrue(dev.netlens.core.tensor.TensorArena.reusedArrays() > reusedBefore,
                "the second pass reused the first one's arrays");
        Trace reference = g.run().record().tap("conv0").forward(x1); // recorded passes stay outside the arena
        assertBitIdentical(reference.output(), first.output(), "first output after the second pass");
        assertBitIdentical(reference.value("conv0"), first.value("conv0"), "first tap after the second pass");
        assertBitIdentical(g.run().record().forward(x2).output(), second.output(), "second output");
    }

    @Test
    void unusedBranchesAreNotComputed() {
        Graph chain = TestNets.chain(4, 3);
        Trace t = chain.run().outputs("relu1").forward(Tensor.ones(1, 8, 16, 16));
        assertEquals(2, t.memory().peakLiveTensors());
        assertThrowsIllegalArgument(() -> t.shape("conv3"));
    }

    private static void assertThrowsIllegalArgument(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException expected) {
            return;
        }
        throw new AssertionError("expected an IllegalArgumentException");
    }

    @Test
    void sameRunTwiceIsBitIdentical() {
        for (Kernels k : OpHarness.BOTH) {
            Graph g = TestNets.residualNet(5);
            Tensor x = Tensor.randomNormal(new SplittableRandom(6), 1f, 4, 2, 6, 6);
            Tensor seed = Tensor.randomNormal(new SplittableRandom(7), 1f, 4, 3, 6, 6);
            Trace a = g.run().record().kernels(k).forward(x);
            Trace b = g.run().record().kernels(k).forward(x);
            assertBitIdentical(a.output(), b.output(), k.name() + " outputs");
            List<String> wrt = List.of("x", "w1", "b1", "w2", "w3", "b3");
            Map<String, Tensor> ga = a.gradients(Map.of("y", seed), wrt);
            Map<String, Tensor> gb = b.gradients(Map.of("y", seed), wrt);
            for (String w : wrt) {
                assertBitIdentical(ga.get(w), gb.get(w), k.name() + " gradient " + w);
            }
        }
    }

    @Test
    void largerConvolutionsAreBitIdenticalAcrossRuns() {
        // Large enough for the parallel im2col/col2im and multi-threaded OpenBLAS paths.
        Graph g = TestNets.chain(3, 8);
        Tensor x = Tensor.randomNormal(new SplittableRandom(9), 1f, 1, 8, 16, 16);
        for (Kernels k : OpHarness.BOTH) {
            Trace a = g.run().record().kernels(k).forward(x);
            Trace b = g.run().record().kernels(k).forward(x);
            Tensor seed = Tensor.ones(a.output().shape());
            assertBitIdentical(a.output(), b.output(), "chain output");
            assertBitIdentical(a.gradient(g.outputNames().get(0), seed, "w0"),
                    b.gradient(g.outputNames().get(0), seed, "w0"), "chain weight gradient");
        }
    }
}
