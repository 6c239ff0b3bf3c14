package dev.netlens.explain.lrp;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Node;
import dev.netlens.core.ops.BatchNormalization;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.Gemm;
import dev.netlens.core.ops.Identity;
import dev.netlens.core.ops.Op;
import dev.netlens.core.tensor.Tensor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The canonizers LRP needs (zennit's {@code SequentialMergeBatchNorm} and {@code ResNetCanonizer}),
 * as rewrites that return a new {@link Graph}. Both keep every node name: a node that a rewrite
 * absorbs into its linear layer stays in the graph as an {@link Identity} with its old name and
 * output value, so {@code layer3.0.bn2} still names a value (now equal to the folded
 * convolution's output), exactly as zennit leaves the BatchNorm module in place with identity
 * parameters. Parameters whose values change keep their names when nothing else reads them;
 * otherwise, and for biases a layer did not have, new parameters get fresh names derived from the
 * layer's name. The original graph is never modified: "undoing" a canonizer is using the original
 * graph, which stays valid and can be explained concurrently.
 *
 * <pre>{@code
 * Graph canonical = Canonizers.standard().apply(graph);     // both rewrites, to a fixed point
 * Graph folded = Canonizers.mergeBatchNorm().apply(graph);
 * }</pre>
 */
public final class Canonizers {
    private Canonizers() {
    }

    /**
     * Folds each BatchNormalization into the Conv or Gemm that produces its input when the BN is
     * that layer's only consumer (possibly through Identity nodes): with s = γ/√(σ² + ε),
     * W′ = W·s per output channel and b′ = (b − μ)·s + β. The BN node becomes an Identity. BNs
     * after other ops (e.g. a pre-activation BN after a residual Add) are left alone; the
     * built-in composites pass relevance through them unchanged (zennit's default). Extra BN
     * outputs (running statistics) must be unused; they are dropped. ConvTranspose is not folded.
     */
    public static Canonizer mergeBatchNorm() {
        return new Fixpoint("merge-batch-norm", Canonizers::foldBatchNormOnce);
    }

    /**
     * Makes residual sums explicit. zennit needs its ResNet canonizers because torchvision adds the
     * shortcut with an in-place {@code out += identity} that no hook can see; in a netlens graph
     * every sum is already its own Add node (category SUM) that a composite's norm rule matches. What
     * is left is to make sure the SUM nodes the composites see <em>are</em> the residual sums: an
     * Add of a Conv/Gemm output and a parameter (a bias that an exporter emitted as a separate Add)
     * is merged into the layer's bias (the Add node becomes an Identity with the same name), so the
     * layer's rule sees its bias as it would in zennit (e.g. z⁺ drops it, ε includes it) instead of
     * a norm rule absorbing relevance into it. Adds whose operands are both activations — the
     * residual sums — stay as they are. The parameter must broadcast as one value per output
     * channel (shape [M], [1, M, 1, 1], a scalar, …).
     */
    public static Canonizer explicitResidualSums() {
        return new Fixpoint("explicit-residual-sums", Canonizers::mergeBiasAddsOnce);
    }

    /** {@link #explicitResidualSums()} then {@link #mergeBatchNorm()}, repeated until nothing changes. */
    public static Canonizer standard() {
        return sequence(explicitResidualSums(), mergeBatchNorm());
    }

    /** No rewrite. */
    public static Canonizer none() {
        return new Canonizer() {
            @Override
            public String name() {
                return "none";
            }

            @Override
            public Graph apply(Graph graph) {
                return graph;
            }
        };
    }

    /** These canonizers in order, repeated until none changes the graph. */
    public static Canonizer sequence(Canonizer... canonizers) {
        List<Canonizer> list = List.of(canonizers);
        StringBuilder name = new StringBuilder();
        for (Canonizer c : list) {
            name.append(name.length() == 0 ? "" : ",").append(c.name());
        }
        return new Fixpoint(name.toString(), g -> {
            Graph cur = g;
            for (Canonizer c : list) {
                cur = c.apply(cur);
            }
            return cur;
        });
    }

    /** Applies a one-pass rewrite until it returns its argument. */
    private record Fixpoint(String name, java.util.function.UnaryOperator<Graph> once) implements Canonizer {
        @Override
        public Graph apply(Graph graph) {
            Graph cur = graph;
            for (int i = 0; i < 1000; i++) {
                Graph next = once.apply(cur);
                if (next == cur) {
                    return cur;
                }
                cur = next;
            }
            throw new IllegalStateException("canonizer " + name + " did not reach a fixed point");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    // ------------------------------------------------------------------ shared graph editing

    /** Pending changes to a graph; {@link #build()} makes the new graph. */
    private static final class Edit {
        final Graph graph;
        final Map<String, Tensor> replacedParams = new HashMap<>();
        final Map<String, Tensor> newParams = new LinkedHashMap<>();
        final Map<String, Node> replacedNodes = new HashMap<>();
        final Map<String, Replacement> replacements = new HashMap<>();
        final Set<String> touched = new HashSet<>();

        record Replacement(Op op, List<String> inputs, List<String> outputs) {
        }

        Edit(Graph graph) {
            this.graph = graph;
        }

        boolean isEmpty() {
            return replacements.isEmpty();
        }

        void replace(Node node, Op op, List<String> inputs, List<String> outputs) {
            replacements.put(node.name(), new Replacement(op, inputs, outputs));
            touched.add(node.name());
        }

        /** A name for a changed parameter: the old one if only {@code user} reads it, else a fresh one. */
        String paramName(String old, String fresh, Node user, Tensor value) {
            if (old != null && !old.isEmpty() && graph.isParameter(old) && graph.consumers(old).size() == 1
                    && graph.consumers(old).get(0) == user && !replacedParams.containsKey(old)) {
                replacedParams.put(old, value);
                return old;
            }
            String name = fresh;
            for (int i = 2; graph.hasValue(name) || newParams.containsKey(name); i++) {
                name = fresh + "_" + i;
            }
            newParams.put(name, value);
            return name;
        }

        Graph build() {
            if (isEmpty()) {
                return graph;
            }
            Graph.Builder b = Graph.builder();
            for (String in : graph.inputNames()) {
                b.input(in, graph.inputShape(in));
            }
            for (Map.Entry<String, Tensor> p : graph.parameters().entrySet()) {
                b.parameter(p.getKey(), replacedParams.getOrDefault(p.getKey(), p.getValue()));
            }
            newParams.forEach(b::parameter);
            for (Node n : graph.nodes()) {
                Replacement r = replacements.get(n.name());
                if (r != null) {
                    b.node(n.name(), r.op(), r.inputs(), r.outputs());
                } else {
                    b.node(n.name(), n.op(), n.inputs(), n.outputs());
                }
            }
            graph.outputNames().forEach(b::output);
            graph.metadata().forEach(b::metadata);
            return b.build();
        }
    }

    /** Whether a value feeds exactly one node and is not a graph output. */
    private static boolean feedsOneNode(Graph g, String value) {
        return g.consumers(value).size() == 1 && !g.outputNames().contains(value);
    }

    /**
     * The Conv/Gemm producing {@code value}, looking through single-consumer Identity nodes, or
     * null when the chain has another shape or the layer's weight/bias are not parameters.
     */
    private static Node linearProducer(Graph g, String value, Edit edit) {
        String v = value;
        for (int guard = 0; guard < 10_000; guard++) {
            if (!feedsOneNode(g, v)) {
                return null;
            }
            Node p = g.producer(v);
            if (p == null || edit.touched.contains(p.name())) {
                return null;
            }
            if (p.op() instanceof Identity) {
                v = p.inputs().get(0);
                continue;
            }
            if (!(p.op() instanceof Conv) && !(p.op() instanceof Gemm)) {
                return null;
            }
            if (p.outputs().size() != 1 || p.inputs().size() < 2 || !g.isParameter(p.inputs().get(1))) {
                return null;
            }
            if (p.inputs().size() > 2 && !p.inputs().get(2).isEmpty() && !g.isParameter(p.inputs().get(2))) {
                return null;
            }
            return p;
        }
        return null;
    }

    /** Output channels M of a Conv/Gemm node. */
    private static int outChannels(Node layer, Tensor w) {
        if (layer.op() instanceof Gemm gemm) {
            return gemm.transB() ? w.dim(0) : w.dim(1);
        }
        return w.dim(0);
    }

    /** The layer's effective bias as one value per output channel (zeros when absent), or null if not per-channel. */
    private static double[] effectiveBias(Graph g, Node layer, int m) {
        double[] b = new double[m];
        if (layer.inputs().size() < 3 || layer.inputs().get(2).isEmpty()) {
            return b;
        }
        Tensor c = g.parameters().get(layer.inputs().get(2));
        double scale = layer.op() instanceof Gemm gemm ? gemm.beta() : 1.0;
        double[] per = perChannel(c, layer.op() instanceof Gemm ? 2 : c.rank() == 1 ? 1 : c.rank(), m);
        if (per == null) {
            return null;
        }
        for (int i = 0; i < m; i++) {
            b[i] = scale * per[i];
        }
        return b;
    }

    /**
     * A tensor broadcast against an output of rank {@code rank} with M channels on axis 1 (or the
     * bias of a Conv/Gemm, rank 1, [M]) as M per-channel values, or null when it varies along
     * other axes.
     */
    private static double[] perChannel(Tensor t, int rank, int m) {
        int[] s = t.shape();
        float[] d = t.data();
        double[] out = new double[m];
        if (t.size() == 1) {
            java.util.Arrays.fill(out, d[0]);
            return out;
        }
        if (s.length == 1 && s[0] == m && (rank == 1 || rank == 2)) {
            for (int i = 0; i < m; i++) {
                out[i] = d[i];
            }
            return out;
        }
        if (s.length > rank || rank < 2) {
            return null;
        }
        int shift = rank - s.length;
        for (int axis = 0; axis < s.length; axis++) {
            int outAxis = axis + shift;
            int expected = outAxis == 1 ? m : 1;
            if (s[axis] != expected && s[axis] != 1) {
                return null;
            }
            if (outAxis != 1 && s[axis] != 1) {
                return null;
            }
        }
        if (t.size() != m) {
            return null;
        }
        for (int i = 0; i < m; i++) {
            out[i] = d[i];
        }
        return out;
    }

    /** The layer's node with its weight scaled per output channel and a new per-channel bias. */
    private static void rewriteLayer(Edit edit, Node layer, double[] scale, double[] bias) {
        Graph g = edit.graph;
        String wName = layer.inputs().get(1);
        Tensor w = g.parameters().get(wName);
        Tensor w2 = scale == null ? w : w.copy();
        if (scale != null) {
            float[] d = w2.data();
            int m = scale.length;
            if (layer.op() instanceof Gemm gemm && !gemm.transB()) {
                int k = w.dim(0);
                for (int r = 0; r < k; r++) {
                    for (int c = 0; c < m; c++) {
                        d[r * m + c] = (float) (d[r * m + c] * scale[c]);
                    }
                }
            } else {
                int per = w.size() / m;
                for (int c = 0; c < m; c++) {
                    for (int i = 0; i < per; i++) {
                        d[c * per + i] = (float) (d[c * per + i] * scale[c]);
                    }
                }
            }
        }
        float[] bf = new float[bias.length];
        for (int i = 0; i < bf.length; i++) {
            bf[i] = (float) bias[i];
        }
        Tensor b2 = Tensor.of(bf, bf.length);
        String newW = scale == null ? wName : edit.paramName(wName, layer.name() + ".weight_canonized", layer, w2);
        String oldB = layer.inputs().size() > 2 ? layer.inputs().get(2) : "";
        String newB = edit.paramName(oldB, layer.name() + ".bias_canonized", layer, b2);
        Op op = layer.op();
        if (op instanceof Gemm gemm) {
            op = new Gemm(gemm.alpha(), 1f, gemm.transA(), gemm.transB());
        }
        edit.replace(layer, op, List.of(layer.inputs().get(0), newW, newB), layer.outputs());
    }

    private static Graph foldBatchNormOnce(Graph g) {
        Edit edit = new Edit(g);
        for (Node bnNode : g.nodes()) {
            if (!(bnNode.op() instanceof BatchNormalization bn) || edit.touched.contains(bnNode.name())) {
                continue;
            }
            List<String> in = bnNode.inputs();
            if (in.size() != 5) {
                continue;
            }
            boolean params = true;
            for (int i = 1; i < 5; i++) {
                params &= g.isParameter(in.get(i));
            }
            boolean extraUnused = true;
            for (int o = 1; o < bnNode.outputs().size(); o++) {
                String v = bnNode.outputs().get(o);
                extraUnused &= g.consumers(v).isEmpty() && !g.outputNames().contains(v);
            }
            if (!params || !extraUnused) {
                continue;
            }
            Node layer = linearProducer(g, in.get(0), edit);
            if (layer == null) {
                continue;
            }
            Tensor w = g.parameters().get(layer.inputs().get(1));
            if (layer.op() instanceof Gemm && w.rank() != 2) {
                continue;
            }
            int m = outChannels(layer, w);
            float[] gamma = g.parameters().get(in.get(1)).data();
            float[] beta = g.parameters().get(in.get(2)).data();
            float[] mean = g.parameters().get(in.get(3)).data();
            float[] var = g.parameters().get(in.get(4)).data();
            if (gamma.length != m) {
                continue;
            }
            double[] b = effectiveBias(g, layer, m);
            if (b == null) {
                continue;
            }
            double[] s = new double[m];
            double[] b2 = new double[m];
            for (int c = 0; c < m; c++) {
                s[c] = gamma[c] / Math.sqrt((double) var[c] + bn.epsilon());
                b2[c] = (b[c] - mean[c]) * s[c] + beta[c];
            }
            rewriteLayer(edit, layer, s, b2);
            edit.replace(bnNode, new Identity(), List.of(in.get(0)), List.of(bnNode.outputs().get(0)));
        }
        return edit.build();
    }

    private static Graph mergeBiasAddsOnce(Graph g) {
        Edit edit = new Edit(g);
        for (Node add : g.nodes()) {
            if (!add.op().type().equals("Add") || add.inputs().size() != 2 || add.outputs().size() != 1
                    || edit.touched.contains(add.name())) {
                continue;
            }
            String a = add.inputs().get(0);
            String b = add.inputs().get(1);
            boolean pa = g.isParameter(a);
            boolean pb = g.isParameter(b);
            if (pa == pb) {
                continue; // two activations (a residual sum) or two constants
            }
            String act = pa ? b : a;
            Tensor p = g.parameters().get(pa ? a : b);
            Node layer = linearProducer(g, act, edit);
            if (layer == null) {
                continue;
            }
            Tensor w = g.parameters().get(layer.inputs().get(1));
            int rank = layer.op() instanceof Gemm ? 2 : w.rank();
            if (layer.op() instanceof Gemm && w.rank() != 2) {
                continue;
            }
            int m = outChannels(layer, w);
            double[] per = p.rank() > rank ? null : perChannel(p, rank, m);
            double[] bias = effectiveBias(g, layer, m);
            if (per == null || bias == null) {
                continue;
            }
            for (int c = 0; c < m; c++) {
                bias[c] += per[c];
            }
            rewriteLayer(edit, layer, null, bias);
            edit.replace(add, new Identity(), List.of(act), add.outputs());
        }
        return edit.build();
    }
}
