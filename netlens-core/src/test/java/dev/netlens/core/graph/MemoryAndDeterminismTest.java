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

    /** A ReLU that counts the chunks it computes in place (input and output the same array). */
    private static final class CountingRelu extends dev.netlens.core.ops.UnaryElementwiseOp {
        final java.util.concurrent.atomic.AtomicInteger inPlaceChunks = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public String type() {
            return "Relu";
        }

        @Override
        protected void apply(float[] x, float[] y, int from, int to) {
            if (x == y) {
                inPlaceChunks.incrementAndGet();
            }
            for (int i = from; i < to; i++) {
                y[i] = Math.max(x[i], 0f);
            }
        }

        int inPlace() {
            return inPlaceChunks.getAndSet(0);
        }

        @Override
        protected void derivative(float[] x, float[] y, float[] g, float[] gx, int from, int to) {
            throw new UnsupportedOperationException();
        }

    }

    /**
     * Plain passes run element-wise ops in place over an input nothing reads afterwards — never
     * over a tapped value, a value another node still reads, or the caller's input — with the
     * values of a recorded pass, bit for bit.
     */
    @Test
    void inPlaceOpsNeverOverwriteAValueSomeoneStillReads() {
        SplittableRandom r = new SplittableRandom(6);
        CountingRelu relu = new CountingRelu();
        CountingRelu inputRelu = new CountingRelu();
        Graph.Builder b = Graph.builder();
        b.input("x", 1, 4, 128, 128); // 65 536 floats: arena-sized
        b.parameter("w1", Tensor.randomNormal(r, 0.3f, 4, 4, 3, 3));
        b.parameter("w2", Tensor.randomNormal(r, 0.3f, 4, 4, 3, 3));
        b.node("relu0", inputRelu, List.of("x"), List.of("r0"));
        b.node("conv1", dev.netlens.core.ops.Conv.of(1, 1), List.of("r0", "w1"), List.of("c1"));
        b.node("relu1", relu, List.of("c1"), List.of("r1"));
        b.node("conv2", dev.netlens.core.ops.Conv.of(1, 1), List.of("r1", "w2"), List.of("c2"));
        b.node("add", new dev.netlens.core.ops.Add(), List.of("c2", "c1"), List.of("y")); // c1 fans out
        b.output("y");
        Graph g = b.build();
        Tensor x = Tensor.randomNormal(r, 1f, 1, 4, 128, 128);
        Tensor xCopy = x.copy();
        Trace reference = g.run().record().tap("c1").tap("r1").forward(x);

        Trace plain = g.run().forward(x);
        assertBitIdentical(reference.output(), plain.output(), "output");
        assertBitIdentical(xCopy, x, "the caller's input");
        assertEquals(0, inputRelu.inPlace(), "the graph input is never overwritten");
        assertEquals(0, relu.inPlace(), "c1 is read again by the add");

        Graph.Builder b2 = Graph.builder();
        b2.input("x", 1, 4, 128, 128);
        b2.parameter("w1", g.parameters().get("w1"));
        b2.node("conv1", dev.netlens.core.ops.Conv.of(1, 1), List.of("x", "w1"), List.of("c1"));
        b2.node("relu1", relu, List.of("c1"), List.of("r1"));
        b2.output("r1");
        Graph chain = b2.build();
        Trace want = chain.run().record().tap("c1").forward(x);
        Trace tapped = chain.run().tap("c1").forward(x);
        assertEquals(0, relu.inPlace(), "a tapped value is never overwritten");
        assertBitIdentical(want.value("c1"), tapped.value("c1"), "the tapped pre-activation");
        assertBitIdentical(want.output(), tapped.output(), "the activation");
        Trace untapped = chain.run().forward(x);
        assertTrue(relu.inPlace() > 0, "the ReLU runs in place over the convolution's output");
        assertBitIdentical(want.output(), untapped.output(), "the in-place activation");

        // a view of c1 (Flatten shares its array) still read by the add after the ReLU
        Graph.Builder b3 = Graph.builder();
        b3.input("x", 1, 4, 128, 128);
        b3.parameter("w1", g.parameters().get("w1"));
        b3.node("conv1", dev.netlens.core.ops.Conv.of(1, 1), List.of("x", "w1"), List.of("c1"));
        b3.node("view", new dev.netlens.core.ops.Flatten(1), List.of("c1"), List.of("v"));
        b3.node("relu1", relu, List.of("c1"), List.of("r1"));
        b3.node("flat", new dev.netlens.core.ops.Flatten(1), List.of("r1"), List.of("f"));
        b3.node("add", new dev.netlens.core.ops.Add(), List.of("f", "v"), List.of("y"));
        b3.output("y");
        Graph viewed = b3.build();
        Tensor viewedWant = viewed.run().record().forward(x).output();
        Tensor viewedGot = viewed.run().forward(x).output();
        assertEquals(0, relu.inPlace(), "c1's array is still read through its view");
        assertBitIdentical(viewedWant, viewedGot, "the sum of the activation and the view");
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
