package dev.netlens.core.nn;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.ops.Add;
import dev.netlens.core.ops.AveragePool;
import dev.netlens.core.ops.BatchNormalization;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.Dropout;
import dev.netlens.core.ops.Flatten;
import dev.netlens.core.ops.Gelu;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.GlobalAveragePool;
import dev.netlens.core.ops.LeakyRelu;
import dev.netlens.core.ops.MaxPool;
import dev.netlens.core.ops.Op;
import dev.netlens.core.ops.Relu;
import dev.netlens.core.ops.Sigmoid;
import dev.netlens.core.ops.Tanh;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Graph-style model composition: each method adds one layer (PyTorch's {@code nn} modules, as
 * ONNX nodes) reading a named value and returns the name of its output, so any DAG — residual
 * sums included — is a few lines. The builder tracks per-example shapes ([C, H, W] or [F]) so
 * layers infer their input sizes, and initialises weights from one seed. Parameter names follow
 * PyTorch's ({@code <layer>.weight}, {@code <layer>.bias}, {@code <bn>.running_mean}, …), so a
 * model built here names its layers like the equivalent PyTorch module.
 *
 * <pre>{@code
 * NetBuilder b = new NetBuilder(42).input("input", 1, 28, 28);
 * String x = b.conv2d("conv1", "input", 32, 3, 1, 1);
 * x = b.relu("relu1", b.batchNorm2d("bn1", x));
 * x = b.residualBlock("layer1.0", x, 64, 2);
 * x = b.linear("fc", b.flatten("flatten", b.globalAvgPool("avgpool", x)), 10);
 * Graph model = b.build(x);
 * }</pre>
 */
public final class NetBuilder {
    private final Graph.Builder graph = Graph.builder();
    private final Map<String, int[]> shapes = new HashMap<>();
    private final SplittableRandom random;
    private Init init = Init.KAIMING_NORMAL_FAN_OUT;

    public NetBuilder(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Initialiser for the weights of layers added from now on (default Kaiming normal, fan-out). */
    public NetBuilder init(Init init) {
        this.init = init;
        return this;
    }

    /** Declares the model input with its per-example shape ([C, H, W] or [F]); the batch is dynamic. */
    public NetBuilder input(String name, int... exampleShape) {
        int[] full = new int[exampleShape.length + 1];
        full[0] = -1;
        System.arraycopy(exampleShape, 0, full, 1, exampleShape.length);
        graph.input(name, full);
        shapes.put(name, exampleShape.clone());
        return this;
    }

    /** Per-example shape of a value added so far. */
    public int[] shape(String value) {
        int[] s = shapes.get(value);
        if (s == null) {
            throw new IllegalArgumentException("no value named '" + value + "' in the model so far; known: "
                    + shapes.keySet());
        }
        return s.clone();
    }

    /** Metadata stored with the model (e.g. {@code netlens.classes}). */
    public NetBuilder metadata(String key, String value) {
        graph.metadata(key, value);
        return this;
    }

    /** 2-D convolution {@code out} channels, square kernel, stride and symmetric padding; with bias. */
    public String conv2d(String name, String in, int out, int kernel, int stride, int padding) {
        return conv2d(name, in, out, kernel, stride, padding, true);
    }

    /** 2-D convolution; without bias when it is followed by batch normalisation. */
    public String conv2d(String name, String in, int out, int kernel, int stride, int padding, boolean bias) {
        int[] s = image(in, "conv2d '" + name + "'");
        positive(out, "output channels of conv2d '" + name + "'");
        int fanIn = s[0] * kernel * kernel;
        graph.parameter(name + ".weight", init.weight(random, fanIn, out * kernel * kernel, out, s[0], kernel, kernel));
        List<String> inputs = bias ? List.of(in, name + ".weight", name + ".bias") : List.of(in, name + ".weight");
        if (bias) {
            graph.parameter(name + ".bias", Init.bias(random, fanIn, out));
        }
        Op op = Conv.builder().kernelShape(kernel, kernel).strides(stride, stride)
                .pads(padding, padding, padding, padding).build();
        graph.node(name, op, inputs, List.of(name));
        int h = (s[1] + 2 * padding - kernel) / stride + 1;
        int w = (s[2] + 2 * padding - kernel) / stride + 1;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("conv2d '" + name + "': a " + kernel + "x" + kernel + " kernel with stride "
                    + stride + " and padding " + padding + " does not fit input " + Shapes.toString(s));
        }
        return put(name, new int[] {out, h, w});
    }

    /** Fully connected layer y = x Wᵀ + b on [N, F] (PyTorch Linear; ONNX Gemm with transB). */
    public String linear(String name, String in, int out) {
        return linear(name, in, out, name);
    }

    /** Fully connected layer whose output value is named {@code output} (e.g. "logits"). */
    public String linear(String name, String in, int out, String output) {
        int[] s = shape(in);
        if (s.length != 1) {
            throw new IllegalArgumentException("linear '" + name + "' needs a flat input [N, F]; '" + in + "' has shape "
                    + Shapes.toString(s) + " per example — add flatten first");
        }
        positive(out, "output features of linear '" + name + "'");
        graph.parameter(name + ".weight", init.weight(random, s[0], out, out, s[0]));
        graph.parameter(name + ".bias", Init.bias(random, s[0], out));
        graph.node(name, Gemm.linear(), List.of(in, name + ".weight", name + ".bias"), List.of(output));
        return put(output, new int[] {out});
    }

    /**
     * Batch normalisation over channels (PyTorch BatchNorm2d: momentum 0.1 = ONNX 0.9, eps 1e-5,
     * unit scale, zero shift, running statistics 0 and 1).
     */
    public String batchNorm2d(String name, String in) {
        int c = shape(in)[0];
        graph.parameter(name + ".weight", Tensor.ones(c));
        graph.parameter(name + ".bias", Tensor.zeros(c));
        graph.parameter(name + ".running_mean", Tensor.zeros(c));
        graph.parameter(name + ".running_var", Tensor.ones(c));
        graph.node(name, BatchNormalization.defaults(), List.of(in, name + ".weight", name + ".bias",
                name + ".running_mean", name + ".running_var"), List.of(name));
        return put(name, shape(in));
    }

    public String relu(String name, String in) {
        return unary(name, new Relu(), in);
    }

    public String leakyRelu(String name, String in, float slope) {
        return unary(name, new LeakyRelu(slope), in);
    }

    public String sigmoid(String name, String in) {
        return unary(name, new Sigmoid(), in);
    }

    public String tanh(String name, String in) {
        return unary(name, new Tanh(), in);
    }

    public String gelu(String name, String in) {
        return unary(name, Gelu.exact(), in);
    }

    /** Dropout with drop probability {@code p} in training; the identity at inference. */
    public String dropout(String name, String in, float p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout '" + name + "': p must be in [0, 1), got " + p);
        }
        return unary(name, new Dropout(p), in);
    }

    /** Max pooling with a square window, no padding. */
    public String maxPool(String name, String in, int kernel, int stride) {
        return pool(name, in, MaxPool.of(kernel, stride), kernel, stride);
    }

    /** Average pooling with a square window, no padding. */
    public String avgPool(String name, String in, int kernel, int stride) {
        return pool(name, in, AveragePool.of(kernel, stride), kernel, stride);
    }

    /** Global average pooling: [C, H, W] → [C, 1, 1]. */
    public String globalAvgPool(String name, String in) {
        int[] s = image(in, "globalAvgPool '" + name + "'");
        graph.node(name, new GlobalAveragePool(), List.of(in), List.of(name));
        return put(name, new int[] {s[0], 1, 1});
    }

    /** Flattens each example to [F]. */
    public String flatten(String name, String in) {
        int[] s = shape(in);
        graph.node(name, new Flatten(1), List.of(in), List.of(name));
        return put(name, new int[] {Shapes.size(s)});
    }

    /** Element-wise sum of two values of the same shape (residual connections). */
    public String add(String name, String a, String b) {
        if (!Arrays.equals(shape(a), shape(b))) {
            throw new IllegalArgumentException("add '" + name + "': shapes differ, " + Shapes.toString(shape(a))
                    + " vs " + Shapes.toString(shape(b)));
        }
        graph.node(name, new Add(), List.of(a, b), List.of(name));
        return put(name, shape(a));
    }

    /**
     * A basic residual block (He et al. 2016): conv3×3(stride) → BN → ReLU → conv3×3 → BN, plus the
     * input (through a 1×1 convolution and BN when the shape changes), then ReLU. Names follow
     * torchvision: {@code <name>.conv1}, {@code .bn1}, {@code .conv2}, {@code .bn2},
     * {@code .downsample.0}, {@code .downsample.1}.
     */
    public String residualBlock(String name, String in, int out, int stride) {
        int cin = shape(in)[0];
        String y = conv2d(name + ".conv1", in, out, 3, stride, 1, false);
        y = relu(name + ".relu1", batchNorm2d(name + ".bn1", y));
        y = conv2d(name + ".conv2", y, out, 3, 1, 1, false);
        y = batchNorm2d(name + ".bn2", y);
        String shortcut = in;
        if (stride != 1 || cin != out) {
            shortcut = conv2d(name + ".downsample.0", in, out, 1, stride, 0, false);
            shortcut = batchNorm2d(name + ".downsample.1", shortcut);
        }
        return relu(name + ".relu2", add(name + ".add", y, shortcut));
    }

    /** Applies layers in order, naming them {@code <name>.0}, {@code <name>.1}, … like PyTorch's Sequential. */
    public String sequential(String name, String in, Layer... layers) {
        String x = in;
        for (int i = 0; i < layers.length; i++) {
            x = layers[i].apply(this, name.isEmpty() ? Integer.toString(i) : name + "." + i, x);
        }
        return x;
    }

    /** The model with the given values as outputs. */
    public Graph build(String... outputs) {
        for (String o : outputs) {
            shape(o);
        }
        graph.output(outputs);
        return graph.build();
    }

    private String unary(String name, Op op, String in) {
        int[] s = shape(in);
        graph.node(name, op, List.of(in), List.of(name));
        return put(name, s);
    }

    private String pool(String name, String in, Op op, int kernel, int stride) {
        int[] s = image(in, name);
        int h = (s[1] - kernel) / stride + 1;
        int w = (s[2] - kernel) / stride + 1;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("pool '" + name + "': window " + kernel + " does not fit " + Shapes.toString(s));
        }
        graph.node(name, op, List.of(in), List.of(name));
        return put(name, new int[] {s[0], h, w});
    }

    private int[] image(String value, String who) {
        int[] s = shape(value);
        if (s.length != 3) {
            throw new IllegalArgumentException(who + " needs an image input [C, H, W]; '" + value + "' has shape "
                    + Shapes.toString(s) + " per example");
        }
        return s;
    }

    private String put(String name, int[] shape) {
        shapes.put(name, shape);
        return name;
    }

    private static void positive(int v, String what) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + v);
        }
    }

    /** One layer of a {@link #sequential} stack. */
    @FunctionalInterface
    public interface Layer {
        /** Adds the layer named {@code name} reading {@code input}; returns its output value. */
        String apply(NetBuilder builder, String name, String input);

        static Layer conv2d(int out, int kernel, int stride, int padding) {
            return (b, n, x) -> b.conv2d(n, x, out, kernel, stride, padding);
        }

        static Layer batchNorm2d() {
            return (b, n, x) -> b.batchNorm2d(n, x);
        }

        static Layer relu() {
            return (b, n, x) -> b.relu(n, x);
        }

        static Layer maxPool(int kernel, int stride) {
            return (b, n, x) -> b.maxPool(n, x, kernel, stride);
        }

        static Layer avgPool(int kernel, int stride) {
            return (b, n, x) -> b.avgPool(n, x, kernel, stride);
        }

        static Layer dropout(float p) {
            return (b, n, x) -> b.dropout(n, x, p);
        }

        static Layer flatten() {
            return (b, n, x) -> b.flatten(n, x);
        }

        static Layer linear(int out) {
            return (b, n, x) -> b.linear(n, x, out);
        }

        static Layer residualBlock(int out, int stride) {
            return (b, n, x) -> b.residualBlock(n, x, out, stride);
        }
    }
}
