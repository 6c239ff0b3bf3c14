package dev.netlens.explain.gradient;

import dev.netlens.core.graph.ExactTies;
import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Node;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.kernels.UniformConvolutions;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The affine stem of a model: the chain of nodes from the input up to the first node that is not
 * affine in it (typically input normalisation and the first convolution, up to its activation),
 * split off so that path methods can use its linearity. Along a straight path
 * x(α) = x′ + α (x − x′) the stem's output is z(α) = z′ + α L(x − x′), with L the stem's linear
 * part ({@link #linearPart}), and since the stem's
 * vector–Jacobian product J_stemᵀ does not depend on the point,
 * <pre>
 *   Σ_k w_k ∂y/∂x |_{x(α_k)}  =  J_stemᵀ ( Σ_k w_k ∂y/∂z |_{z(α_k)} ).
 * </pre>
 * Integrated gradients therefore evaluates the stem at x and x′ and its linear part at x − x′, and
 * differentiates through it once, instead of once per step: the same integral up to float rounding, without the first
 * convolution's forward and input-gradient work at every step — on ResNet-18 the 7×7 stride-2
 * convolution, the costliest layer to differentiate.
 *
 * <p>The direction is L(x − x′), not z(x) − z(x′): a bias or batch-norm shift in both stem outputs
 * cancels in their difference and takes low bits of the convolution with it. Measured against
 * float64 references of Captum's integrated gradients (torchvision models, random weights, relative
 * L2 error, difference → linear part): MobileNet-v2 Gauss–Legendre 50 steps 1.04e-2 → 6.7e-3 (the
 * agreement bound is 1e-2; the whole model at every step gives 7.4e-3, PyTorch's own float32
 * 7.5e-3), Riemann trapezoid 20 steps 6.3e-3 → 5.7e-3; ResNet-18 Riemann left 1.5e-3 → 1.8e-4,
 * trapezoid 1.6e-3 → 8.1e-4.
 *
 * <p>A node belongs to the stem when it has one output, exactly one consumer of the chain value
 * feeds it (the value has no other consumer and is not a model output), and it is affine in that
 * value given graph parameters for its other inputs: Conv, ConvTranspose, Gemm, MatMul,
 * BatchNormalization (inference), Add, Sub, Mul, Div (by a parameter), Identity, Flatten, Reshape,
 * Transpose. A stem is only used when it contains a convolution or dense layer.
 */
final class AffineStem {
    private static final Set<String> LINEAR_LAYERS = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");
    private static final Set<String> AFFINE = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul",
            "BatchNormalization", "Add", "Sub", "Mul", "Div", "Identity", "Flatten", "Reshape", "Transpose");

    private final ExplainedModel model;
    private final List<Node> nodes;
    private final String output;

    private AffineStem(ExplainedModel model, List<Node> nodes, String output) {
        this.model = model;
        this.nodes = List.copyOf(nodes);
        this.output = output;
    }

    /** The stem of this model, or empty when its input does not enter an affine chain with a linear layer. */
    static Optional<AffineStem> of(ExplainedModel model) {
        Graph g = model.graph();
        String in = model.inputName();
        if (!g.inputNames().contains(in) || g.inputNames().size() != 1) {
            return Optional.empty();
        }
        List<Node> stem = new ArrayList<>();
        String v = in;
        boolean linear = false;
        while (!v.equals(model.outputName()) && !g.outputNames().contains(v)) {
            List<Node> consumers = g.consumers(v);
            if (consumers.size() != 1 || !affineIn(g, consumers.get(0), v)) {
                break;
            }
            Node n = consumers.get(0);
            stem.add(n);
            linear |= LINEAR_LAYERS.contains(n.op().type());
            v = n.output();
        }
        if (!linear || v.equals(model.outputName()) || g.outputNames().contains(v)) {
            return Optional.empty();
        }
        return Optional.of(new AffineStem(model, stem, v));
    }

    private static boolean affineIn(Graph g, Node n, String v) {
        String type = n.op().type();
        if (!AFFINE.contains(type) || n.outputs().size() != 1) {
            return false;
        }
        int uses = 0;
        for (int i = 0; i < n.inputs().size(); i++) {
            String name = n.inputs().get(i);
            if (name.equals(v)) {
                uses++;
                if (!linearAt(type, i)) {
                    return false;
                }
            } else if (!name.isEmpty() && !g.isParameter(name)) {
                return false;
            }
        }
        return uses == 1;
    }

    /**
     * Whether an op of this type is linear in its input {@code i} given parameters for the others,
     * with every other input that adds a constant at an index {@link #additive} names: the data or
     * the weights of a convolution or dense layer (not its bias), a batch norm's data (not its
     * scale, shift, mean or variance: 1/√(var + ε) is not affine), a Div's dividend.
     */
    private static boolean linearAt(String type, int i) {
        return switch (type) {
            case "Conv", "ConvTranspose", "Gemm" -> i <= 1;
            case "BatchNormalization", "Div" -> i == 0;
            default -> true;
        };
    }

    /** The value the stem ends in. */
    String output() {
        return output;
    }

    /**
     * The model from the stem's output on: the graph without the stem nodes, whose input is the
     * stem's output (of the shape of {@code z} with any batch), and the same output. A ReLU followed
     * only by max pooling is moved after the pooling (same values and gradients, a quarter of the
     * ReLU's work at every step): this graph is private to the path method, so no value name a user
     * taps changes meaning.
     */
    ExplainedModel tail(Tensor z) {
        Graph g = model.graph();
        int[] shape = z.shape();
        shape[0] = -1;
        Set<Node> skip = new HashSet<>(nodes);
        Graph.Builder b = Graph.builder().input(output, shape);
        g.parameters().forEach(b::parameter);
        for (Node n : g.nodes()) {
            if (skip.contains(n)) {
                continue;
            }
            Node pool = poolAfter(g, n);
            if (pool != null) {
                // max(relu(x)) = relu(max(x)), and the gradient reaches the same element: the
                // ReLU runs on the pooled, 4× smaller tensor (the intermediate value keeps its name).
                String relu = n.output();
                b.node(pool.name(), pool.op(), List.of(n.inputs().get(0)), List.of(relu));
                b.node(n.name(), n.op(), List.of(relu), pool.outputs());
                skip.add(pool);
            } else {
                b.node(n.name(), n.op(), n.inputs(), n.outputs());
            }
        }
        b.output(model.outputName());
        return ExplainedModel.of(b.build(), output, model.outputName());
    }

    /**
     * The MaxPool that alone consumes this Relu's output, when the two may be swapped: one output
     * each, the ReLU's output is no model output, and no pooling window can be empty (no automatic
     * padding, no ceil mode, every pad at most (kernel − 1) · dilation), so every window holds
     * elements of x. Otherwise null.
     */
    private Node poolAfter(Graph g, Node n) {
        if (!n.op().type().equals("Relu") || n.outputs().size() != 1 || g.outputNames().contains(n.output())
                || n.output().equals(model.outputName())) {
            return null;
        }
        List<Node> consumers = g.consumers(n.output());
        if (consumers.size() != 1) {
            return null;
        }
        Node p = consumers.get(0);
        if (!p.op().type().equals("MaxPool") || p.outputs().size() != 1 || p.inputs().size() != 1) {
            return null;
        }
        Map<String, Object> a = p.op().attributes();
        if (a.containsKey("auto_pad") || !Integer.valueOf(0).equals(a.get("ceil_mode"))) {
            return null;
        }
        int[] kernel = (int[]) a.get("kernel_shape");
        int[] pads = a.containsKey("pads") ? (int[]) a.get("pads") : new int[2 * kernel.length];
        int[] dilations = a.containsKey("dilations") ? (int[]) a.get("dilations") : null;
        for (int i = 0; i < pads.length; i++) {
            int axis = i % kernel.length;
            int reach = (kernel[axis] - 1) * (dilations == null ? 1 : dilations[axis]);
            if (pads[i] > reach) {
                return null;
            }
        }
        return p;
    }

    /**
     * Inputs that add a constant to a node's output (for the linear part): a convolution's or
     * dense layer's bias, a batch norm's shift and mean, the parameter of an Add or Sub.
     */
    private static boolean additive(Node n, int input) {
        return switch (n.op().type()) {
            case "Conv", "ConvTranspose", "Gemm" -> input == 2;
            case "BatchNormalization" -> input == 2 || input == 3;
            case "Add", "Sub" -> true;
            default -> false;
        };
    }

    /**
     * L(v): the stem's linear part at v, the stem with every additive constant (see
     * {@link #additive}) set to zero, so that stem(x) = L(x) + stem(0). Along a straight path the
     * stem's output moves by L(x − x′): computed this way, the direction carries only the rounding
     * of a convolution of x − x′, not that of subtracting two stem outputs whose offsets cancel
     * (z(x) − z(x′) loses the low bits of the smaller term when a bias dominates).
     */
    Tensor linearPart(Tensor v) {
        Graph g = model.graph();
        String in = model.inputName();
        Graph.Builder b = Graph.builder().input(in, g.inputShape(in));
        Set<String> declared = new HashSet<>();
        for (Node n : nodes) {
            List<String> inputs = new ArrayList<>(n.inputs());
            for (int i = 0; i < inputs.size(); i++) {
                String name = inputs.get(i);
                if (name.isEmpty() || !g.isParameter(name)) {
                    continue;
                }
                // An additive parameter becomes a zero copy of its own (another node may use it as a factor).
                String local = additive(n, i) ? "netlens.linear-part/" + name : name;
                if (declared.add(local)) {
                    Tensor value = g.parameters().get(name);
                    b.parameter(local, local.equals(name) ? value : Tensor.zerosLike(value));
                }
                inputs.set(i, local);
            }
            b.node(n.name(), n.op(), inputs, n.outputs());
        }
        Graph linear = b.output(output).build();
        // Flat patches of v stay exactly flat through the linear part when the whole model's max
        // pooling would see them (ExactTies; the linear part alone has no maximum to decide by).
        if (ExactTies.needed(model.graph(), v)) {
            return UniformConvolutions.call(
                    () -> linear.run().outputs(output).forward(Map.of(in, v)).output());
        }
        return linear.run().outputs(output).forward(Map.of(in, v)).output();
    }

    /** The stem's output for a batch of inputs. */
    Tensor forward(Tensor x) {
        return model.run().outputs(output).forward(Map.of(model.inputName(), x)).output();
    }

    /**
     * The stem run once at x and recorded: its output z = {@link Pass#output()}, and
     * {@link Pass#inputGradient} J_stemᵀ g for any g of z's shape (the stem is affine, so its
     * Jacobian is the same at every input).
     */
    Pass record(Tensor x) {
        return new Pass(model.run().record().outputs(output).forward(Map.of(model.inputName(), x)));
    }

    /** One recorded run of the stem. */
    final class Pass {
        private final Trace trace;

        private Pass(Trace trace) {
            this.trace = trace;
        }

        /** The stem's output at the recorded input. */
        Tensor output() {
            return trace.output();
        }

        /** J_stemᵀ g: the gradient with respect to the input of Σ g ⊙ z. */
        Tensor inputGradient(Tensor g) {
            return trace.gradients(Map.of(output, g), List.of(model.inputName())).get(model.inputName());
        }
    }
}
