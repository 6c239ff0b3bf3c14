package dev.netlens.core.nn;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.BatchNormalization;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.Flatten;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.GlobalAveragePool;
import dev.netlens.core.ops.MaxPool;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Residual networks built directly as graphs, with torchvision's layer names ("conv1", "bn1",
 * "layer1.0.conv1", …, "fc") and initialisation (Kaiming-normal convolutions with fan-out, unit
 * batch-norm scales, uniform fully connected layer), from a seed.
 *
 * <p>He et al., "Deep Residual Learning for Image Recognition", CVPR 2016.
 *
 * <pre>{@code
 * Graph resnet18 = ResNets.resnet18(1000, 1);          // [N, 3, 224, 224] → [N, 1000]
 * Graph tiny = ResNets.basic(new int[] {16, 32}, new int[] {1, 1}, 3, 10, false, 7);
 * }</pre>
 */
public final class ResNets {
    private ResNets() {
    }

    /** torchvision's resnet18 architecture with random weights. */
    public static Graph resnet18(int classes, long seed) {
        return basic(new int[] {64, 128, 256, 512}, new int[] {2, 2, 2, 2}, 3, classes, true, seed);
    }

    /**
     * A ResNet of basic blocks: stem (a 7×7 stride-2 convolution and 3×3 max-pool when
     * {@code imagenetStem}, else one 3×3 convolution), then one stage per width (the first block of
     * every stage after the first halves the resolution, with a 1×1 projection shortcut), global
     * average pooling and a fully connected layer. Input "input" [N, inChannels, H, W], output
     * "logits" [N, classes].
     */
    public static Graph basic(int[] widths, int[] blocks, int inChannels, int classes, boolean imagenetStem,
                              long seed) {
        if (widths.length == 0 || widths.length != blocks.length) {
            throw new IllegalArgumentException("widths and blocks must be non-empty and of equal length");
        }
        Builder b = new Builder(new SplittableRandom(seed));
        b.graph.input("input", -1, inChannels, -1, -1);
        String x;
        if (imagenetStem) {
            x = b.conv("conv1", "input", inChannels, widths[0], 7, 2, 3);
        } else {
            x = b.conv("conv1", "input", inChannels, widths[0], 3, 1, 1);
        }
        x = b.bn("bn1", x, widths[0]);
        x = b.graph.add("relu", new Relu(), x);
        if (imagenetStem) {
            x = b.graph.add("maxpool", MaxPool.builder().kernelShape(3, 3).strides(2, 2).pads(1, 1, 1, 1).build(), x);
        }
        int channels = widths[0];
        for (int stage = 0; stage < widths.length; stage++) {
            for (int block = 0; block < blocks[stage]; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = b.basicBlock("layer" + (stage + 1) + "." + block, x, channels, widths[stage], stride);
                channels = widths[stage];
            }
        }
        x = b.graph.add("avgpool", new GlobalAveragePool(), x);
        x = b.graph.add("flatten", new Flatten(1), x);
        float bound = (float) (1.0 / Math.sqrt(channels));
        b.graph.parameter("fc.weight", Tensor.randomUniform(b.random, -bound, bound, classes, channels));
        b.graph.parameter("fc.bias", Tensor.randomUniform(b.random, -bound, bound, classes));
        b.graph.node("fc", Gemm.linear(), List.of(x, "fc.weight", "fc.bias"), List.of("logits"));
        b.graph.output("logits");
        return b.graph.build();
    }

    private static final class Builder {
        final Graph.Builder graph = Graph.builder();
        final SplittableRandom random;

        Builder(SplittableRandom random) {
            this.random = random;
        }

        String conv(String name, String in, int cin, int cout, int k, int stride, int pad) {
            float std = (float) Math.sqrt(2.0 / (cout * k * k));
            graph.parameter(name + ".weight", Tensor.randomNormal(random, std, cout, cin, k, k));
            graph.node(name, Conv.builder().kernelShape(k, k).strides(stride, stride).pads(pad, pad, pad, pad).build(),
                    List.of(in, name + ".weight"), List.of(name));
            return name;
        }

        String bn(String name, String in, int c) {
            graph.parameter(name + ".weight", Tensor.ones(c));
            graph.parameter(name + ".bias", Tensor.zeros(c));
            graph.parameter(name + ".running_mean", Tensor.zeros(c));
            graph.parameter(name + ".running_var", Tensor.ones(c));
            graph.node(name, BatchNormalization.defaults(), List.of(in, name + ".weight", name + ".bias",
                    name + ".running_mean", name + ".running_var"), List.of(name));
            return name;
        }

        String basicBlock(String name, String in, int cin, int cout, int stride) {
            String y = conv(name + ".conv1", in, cin, cout, 3, stride, 1);
            y = bn(name + ".bn1", y, cout);
            y = graph.add(name + ".relu1", new Relu(), y);
            y = conv(name + ".conv2", y, cout, cout, 3, 1, 1);
            y = bn(name + ".bn2", y, cout);
            String shortcut = in;
            if (stride != 1 || cin != cout) {
                shortcut = conv(name + ".downsample.0", in, cin, cout, 1, stride, 0);
                shortcut = bn(name + ".downsample.1", shortcut, cout);
            }
            String sum = graph.add(name + ".add", new Add(), y, shortcut);
            return graph.add(name + ".relu2", new Relu(), sum);
        }
    }
}
