package dev.netlens.core.graph;

import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.BackwardContext;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.ForwardContext;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.Op;
import dev.netlens.core.ops.OpCategory;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small networks and probes for graph tests. */
final class TestNets {
    private TestNets() {
    }

    /**
     * x[N,2,6,6] → conv1 (3x3, 4 channels, bias) → relu1 → conv2 (3x3, no bias) → add(relu1, conv2)
     * → relu2 → head (1x1 conv to 3 channels) = y. relu1's output fans out to conv2 and add.
     */
    static Graph residualNet(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 2, 6, 6);
        b.parameter("w1", Tensor.randomNormal(r, 0.5f, 4, 2, 3, 3));
        b.parameter("b1", Tensor.randomNormal(r, 0.1f, 4));
        b.parameter("w2", Tensor.randomNormal(r, 0.5f, 4, 4, 3, 3));
        b.parameter("w3", Tensor.randomNormal(r, 0.5f, 3, 4, 1, 1));
        b.parameter("b3", Tensor.randomNormal(r, 0.1f, 3));
        b.node("conv1", Conv.of(1, 1), List.of("x", "w1", "b1"), List.of("c1"));
        b.node("relu1", new Relu(), List.of("c1"), List.of("r1"));
        b.node("conv2", Conv.of(1, 1), List.of("r1", "w2"), List.of("c2"));
        b.node("add", new Add(), List.of("r1", "c2"), List.of("s"));
        b.node("relu2", new Relu(), List.of("s"), List.of("r2"));
        b.node("head", Conv.of(1, 0), List.of("r2", "w3", "b3"), List.of("y"));
        b.output("y");
        return b.build();
    }

    /** A chain of {@code layers} (conv 3x3 → relu) pairs on [1, 8, 16, 16]. */
    static Graph chain(int layers, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Graph.Builder b = Graph.builder();
        b.input("x", 1, 8, 16, 16);
        String v = "x";
        for (int i = 0; i < layers; i++) {
            b.parameter("w" + i, Tensor.randomNormal(r, 0.2f, 8, 8, 3, 3));
            v = b.add("conv" + i, Conv.of(1, 1), v, "w" + i);
            v = b.add("relu" + i, new Relu(), v);
        }
        b.output(v);
        return b.build();
    }

    /** x[N,5] → gemm(5→4) → relu → gemm(4→3). */
    static Graph mlp(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Graph.Builder b = Graph.builder();
        b.input("x", -1, 5);
        b.parameter("w1", Tensor.randomNormal(r, 0.7f, 4, 5));
        b.parameter("b1", Tensor.randomNormal(r, 0.1f, 4));
        b.parameter("w2", Tensor.randomNormal(r, 0.7f, 3, 4));
        b.parameter("b2", Tensor.randomNormal(r, 0.1f, 3));
        b.add("fc1", Gemm.linear(), "x", "w1", "b1");
        b.add("act", new Relu(), "fc1");
        b.add("fc2", Gemm.linear(), "act", "w2", "b2");
        b.output("fc2");
        return b.build();
    }

    /** Wraps an op and records every backward call's needsGradient flags. */
    static final class Probe implements Op {
        final Op inner;
        final List<boolean[]> backwardCalls = new ArrayList<>();
        int forwardCalls;

        Probe(Op inner) {
            this.inner = inner;
        }

        @Override
        public String type() {
            return inner.type();
        }

        @Override
        public OpCategory category() {
            return inner.category();
        }

        @Override
        public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
            forwardCalls++;
            return inner.forward(ctx, inputs);
        }

        @Override
        public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
            boolean[] flags = new boolean[ctx.inputCount()];
            for (int i = 0; i < flags.length; i++) {
                flags[i] = ctx.needsGradient(i);
            }
            backwardCalls.add(flags);
            return inner.backward(ctx, gradOutputs);
        }

        @Override
        public boolean retainsInput(int index) {
            return inner.retainsInput(index);
        }

        @Override
        public boolean retainsOutput(int index) {
            return inner.retainsOutput(index);
        }
    }
}
