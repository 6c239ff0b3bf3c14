package dev.netlens.explain.lrp;

import dev.netlens.core.graph.BackwardRule;
import dev.netlens.core.graph.Composite;
import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Node;
import dev.netlens.core.graph.NodeMatcher;
import dev.netlens.core.ops.OpCategory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * LRP composites: lookups from nodes to {@link Rules}, first match wins (SPECS.md §C, zennit's
 * composites). Every built-in composite ends with the same base map —
 * activations ({@link OpCategory#ACTIVATION}): pass; sums ({@link OpCategory#SUM}, the residual
 * Add): norm; average pools (AveragePool, GlobalAveragePool, ReduceMean, ReduceSum): norm;
 * unfolded BatchNormalization: pass — and differs in the linear layers:
 *
 * <table>
 *   <caption>Built-in composites</caption>
 *   <tr><th>name</th><th>first layer</th><th>other convolutions</th><th>Gemm/MatMul</th></tr>
 *   <tr><td>{@code epsilon-plus-flat} (default)</td><td>flat</td><td>z⁺</td><td>ε</td></tr>
 *   <tr><td>{@code epsilon-plus}</td><td>z⁺ (conv) / ε (dense)</td><td>z⁺</td><td>ε</td></tr>
 *   <tr><td>{@code epsilon-gamma-box}</td><td>z<sup>B</sup></td><td>γ</td><td>ε</td></tr>
 *   <tr><td>{@code epsilon-alpha2-beta1}</td><td>α2β1 (conv) / ε (dense)</td><td>α2β1</td><td>ε</td></tr>
 * </table>
 *
 * <p>The <b>first layer</b> is found from the graph, not from the order of nodes: the Conv,
 * ConvTranspose, Gemm and MatMul nodes reachable from a graph input along a path that crosses no
 * other such node ({@link #firstLayer()}); a network with parallel stems has several. zennit marks
 * the first such module in registration order, which is the same node for sequential stems.
 * Unlike zennit's EpsilonGammaBox, which applies z<sup>B</sup> only to a first convolution, we
 * apply it to a first dense layer as well (SPECS: "first layer"). MaxPool and every op not listed
 * keep their own gradient.
 *
 * <p>The z<sup>B</sup> bounds of {@code epsilon-gamma-box} are the range of the normalised input:
 * for pixels in [0, 1] normalised with the model metadata {@code netlens.mean}/{@code netlens.std},
 * low = (0 − mean)/std and high = (1 − mean)/std per channel; without metadata, [0, 1].
 *
 * <p>{@code zennit-epsilon-plus-flat} and {@code zennit-epsilon-gamma-box} reproduce zennit ≥ 0.5,
 * which departs from the rules as SPECS writes them: its z⁺ keeps the positive bias and its γ rule
 * is the generalised one (w + γw⁻ for negative outputs). Agreement with zennit is tested with these.
 *
 * <p><b>User composites</b> are written as comma-separated {@code selector=rule} entries, in
 * priority order, optionally mixed with a built-in composite name whose entries are inserted at
 * that position; the base map is appended when no built-in name is given. Selectors: a node name,
 * {@code name:NODE}, {@code category:CONVOLUTION} (any {@link OpCategory}), {@code type:Conv}
 * (an ONNX op type) or {@code first} (the first layer). Rules: {@code epsilon}, {@code epsilon(0.25)},
 * {@code gamma}, {@code gamma(0.5)}, {@code generalized-gamma}, {@code alpha-beta},
 * {@code alpha-beta(1,0)}, {@code zplus}, {@code zplus-bias}, {@code wsquare}, {@code flat},
 * {@code zbox} (bounds as above), {@code zbox(-2.1,2.6)}, {@code norm}, {@code pass},
 * {@code gradient}.
 *
 * <pre>{@code
 * Composite c = LrpComposites.resolve("epsilon-plus-flat", graph);
 * Composite mine = LrpComposites.resolve("fc=epsilon(0.01),first=wsquare,epsilon-plus", graph);
 * Composite byHand = LrpComposites.withBase(Composite.builder()
 *         .rule(LrpComposites.firstLayer(), Rules.flat())
 *         .byCategory(OpCategory.CONVOLUTION, Rules.alphaBeta())
 *         .byCategory(OpCategory.LINEAR, Rules.epsilon())).build();
 * }</pre>
 */
public final class LrpComposites {
    /** The default composite's name. */
    public static final String DEFAULT = "epsilon-plus-flat";

    private static final List<String> NAMES = List.of("epsilon-plus-flat", "epsilon-plus", "epsilon-gamma-box",
            "epsilon-alpha2-beta1", "zennit-epsilon-plus-flat", "zennit-epsilon-gamma-box");

    private static final Map<Graph, Set<String>> FIRST_LAYERS = Collections.synchronizedMap(new WeakHashMap<>());

    private LrpComposites() {
    }

    /** The built-in composite names. */
    public static List<String> names() {
        return NAMES;
    }

    /** Conv, ConvTranspose, Gemm and MatMul: the layers whose rules the composites choose. */
    static boolean isLinearLayer(Node node) {
        return BasicRule.isParametric(node.op());
    }

    /** The first layers: see the class documentation. */
    public static NodeMatcher firstLayer() {
        return (node, graph) -> firstLayerNames(graph).contains(node.name());
    }

    /** Names of the first-layer nodes of a graph (cached per graph instance). */
    public static Set<String> firstLayerNames(Graph graph) {
        Set<String> cached = FIRST_LAYERS.get(graph);
        if (cached != null) {
            return cached;
        }
        Set<String> first = new LinkedHashSet<>();
        Set<String> seenValues = new HashSet<>(graph.inputNames());
        Set<Node> visited = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(graph.inputNames());
        while (!queue.isEmpty()) {
            String v = queue.poll();
            for (Node n : graph.consumers(v)) {
                if (isLinearLayer(n)) {
                    first.add(n.name());
                } else if (visited.add(n)) {
                    for (String o : n.outputs()) {
                        if (seenValues.add(o)) {
                            queue.add(o);
                        }
                    }
                }
            }
        }
        Set<String> result = Collections.unmodifiableSet(first);
        FIRST_LAYERS.put(graph, result);
        return result;
    }

    private static final NodeMatcher AVERAGE_POOLS = NodeMatcher.type("AveragePool", "GlobalAveragePool",
            "ReduceMean", "ReduceSum");
    private static final NodeMatcher DENSE = NodeMatcher.type("Gemm", "MatMul");
    private static final NodeMatcher CONVOLUTIONS = NodeMatcher.category(OpCategory.CONVOLUTION);

    /** Appends the base map shared by all built-in composites (activations, sums, average pools, batch norm). */
    public static Composite.Builder withBase(Composite.Builder b) {
        BackwardRule norm = Rules.norm();
        return b.byCategory(OpCategory.ACTIVATION, Rules.pass())
                .byCategory(OpCategory.SUM, norm)
                .rule(AVERAGE_POOLS, norm)
                .byCategory(OpCategory.BATCH_NORM, Rules.pass());
    }

    /** Flat on the first layer, z⁺ on other convolutions, ε on dense layers (zennit's EpsilonPlusFlat). */
    public static Composite epsilonPlusFlat() {
        return withBase(Composite.builder().rule(firstLayer(), Rules.flat())
                .rule(CONVOLUTIONS, Rules.zPlus()).rule(DENSE, Rules.epsilon())).build();
    }

    /** z⁺ on convolutions, ε on dense layers (zennit's EpsilonPlus). */
    public static Composite epsilonPlus() {
        return withBase(Composite.builder().rule(CONVOLUTIONS, Rules.zPlus()).rule(DENSE, Rules.epsilon())).build();
    }

    /** z<sup>B</sup> on the first layer with these bounds, γ on other convolutions, ε on dense layers. */
    public static Composite epsilonGammaBox(float[] low, float[] high) {
        return withBase(Composite.builder().rule(firstLayer(), Rules.zBox(low, high))
                .rule(CONVOLUTIONS, Rules.gamma()).rule(DENSE, Rules.epsilon())).build();
    }

    /** α2β1 on convolutions, ε on dense layers (zennit's EpsilonAlpha2Beta1). */
    public static Composite epsilonAlpha2Beta1() {
        return withBase(Composite.builder().rule(CONVOLUTIONS, Rules.alphaBeta()).rule(DENSE, Rules.epsilon()))
                .build();
    }

    /**
     * The input range from the graph's metadata: {low[], high[]} per channel, (0 − mean)/std and
     * (1 − mean)/std, or {0}, {1} without {@code netlens.mean}/{@code netlens.std}.
     */
    public static float[][] inputBounds(Graph graph) {
        Map<String, String> meta = graph.metadata();
        float[] mean = meta.containsKey("netlens.mean") ? floats(meta.get("netlens.mean"), "netlens.mean") : null;
        float[] std = meta.containsKey("netlens.std") ? floats(meta.get("netlens.std"), "netlens.std") : null;
        int c = Math.max(mean == null ? 1 : mean.length, std == null ? 1 : std.length);
        float[] low = new float[c];
        float[] high = new float[c];
        for (int i = 0; i < c; i++) {
            float m = mean == null ? 0f : mean[mean.length == 1 ? 0 : i];
            float s = std == null ? 1f : std[std.length == 1 ? 0 : i];
            low[i] = (0f - m) / s;
            high[i] = (1f - m) / s;
            if (low[i] > high[i]) {
                float t = low[i];
                low[i] = high[i];
                high[i] = t;
            }
        }
        return new float[][] {low, high};
    }

    private static float[] floats(String text, String what) {
        try {
            String[] parts = text.split(",");
            float[] out = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = Float.parseFloat(parts[i].trim());
            }
            return out;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model metadata " + what + " must be comma-separated numbers, got '"
                    + text + "'");
        }
    }

    /**
     * A composite by built-in name or user spec (see the class documentation). {@code graph} supplies
     * the z<sup>B</sup> bounds and validates node names.
     */
    public static Composite resolve(String spec, Graph graph) {
        if (spec == null || spec.isBlank()) {
            spec = DEFAULT;
        }
        String s = spec.trim();
        Composite.Builder b = Composite.builder();
        boolean sawBuiltIn = false;
        for (String entry : splitTopLevel(s)) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq < 0) {
                if (!NAMES.contains(e)) {
                    throw new IllegalArgumentException("unknown LRP composite '" + e + "'; built-in composites: "
                            + NAMES + ", or selector=rule entries such as 'first=flat,category:CONVOLUTION=zplus'");
                }
                addBuiltIn(b, e, graph);
                sawBuiltIn = true;
                continue;
            }
            NodeMatcher m = selector(e.substring(0, eq).trim(), graph);
            BackwardRule r = rule(e.substring(eq + 1).trim(), graph);
            b.rule(m, r);
        }
        if (!sawBuiltIn) {
            withBase(b);
        }
        return b.build();
    }

    private static void addBuiltIn(Composite.Builder b, String name, Graph graph) {
        switch (name) {
            case "epsilon-plus-flat" -> b.rule(firstLayer(), Rules.flat()).rule(CONVOLUTIONS, Rules.zPlus())
                    .rule(DENSE, Rules.epsilon());
            case "epsilon-plus" -> b.rule(CONVOLUTIONS, Rules.zPlus()).rule(DENSE, Rules.epsilon());
            case "epsilon-gamma-box" -> {
                float[][] lh = inputBounds(graph);
                b.rule(firstLayer(), Rules.zBox(lh[0], lh[1])).rule(CONVOLUTIONS, Rules.gamma())
                        .rule(DENSE, Rules.epsilon());
            }
            case "epsilon-alpha2-beta1" -> b.rule(CONVOLUTIONS, Rules.alphaBeta()).rule(DENSE, Rules.epsilon());
            // zennit >= 0.5's own definitions: z+ keeps the positive bias, gamma is the generalised rule.
            case "zennit-epsilon-plus-flat" -> b.rule(firstLayer(), Rules.flat())
                    .rule(CONVOLUTIONS, Rules.zPlus(Rules.STABILIZER, true)).rule(DENSE, Rules.epsilon());
            case "zennit-epsilon-gamma-box" -> {
                float[][] lh = inputBounds(graph);
                b.rule(firstLayer(), Rules.zBox(lh[0], lh[1]))
                        .rule(CONVOLUTIONS, Rules.generalizedGamma(Rules.GAMMA, Rules.STABILIZER))
                        .rule(DENSE, Rules.epsilon());
            }
            default -> throw new IllegalStateException(name);
        }
        withBase(b);
    }

    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if ((c == ',' || c == ';') && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static NodeMatcher selector(String sel, Graph graph) {
        if (sel.isEmpty()) {
            throw new IllegalArgumentException("empty selector in an LRP composite entry; use a node name, "
                    + "category:NAME, type:OpType or first");
        }
        if (sel.equals("first")) {
            return firstLayer();
        }
        if (sel.startsWith("category:")) {
            String c = sel.substring("category:".length()).trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                return NodeMatcher.category(OpCategory.valueOf(c));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown op category '" + c + "'; categories: "
                        + Arrays.toString(OpCategory.values()));
            }
        }
        if (sel.startsWith("type:")) {
            return NodeMatcher.type(sel.substring("type:".length()).trim());
        }
        String name = sel.startsWith("name:") ? sel.substring("name:".length()).trim() : sel;
        if (graph != null) {
            graph.node(name); // fails listing similar names
        }
        return NodeMatcher.named(name);
    }

    /** A rule by name with optional parameters, e.g. "epsilon(0.01)". */
    public static BackwardRule rule(String text, Graph graph) {
        String t = text.trim();
        String name = t;
        float[] args = new float[0];
        int open = t.indexOf('(');
        if (open >= 0) {
            if (!t.endsWith(")")) {
                throw new IllegalArgumentException("malformed rule '" + t + "'; write e.g. epsilon(0.01)");
            }
            name = t.substring(0, open).trim();
            String inner = t.substring(open + 1, t.length() - 1).trim();
            if (!inner.isEmpty()) {
                String[] p = inner.split(",");
                args = new float[p.length];
                for (int i = 0; i < p.length; i++) {
                    try {
                        args[i] = Float.parseFloat(p[i].trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("rule '" + t + "': '" + p[i].trim() + "' is not a number");
                    }
                }
            }
        }
        String n = name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "epsilon" -> Rules.epsilon(arg(args, 0, Rules.STABILIZER, t, 1));
            case "norm" -> Rules.norm(arg(args, 0, Rules.STABILIZER, t, 1));
            case "gamma" -> Rules.gamma(arg(args, 0, Rules.GAMMA, t, 2), arg(args, 1, Rules.STABILIZER, t, 2));
            case "generalized-gamma" -> Rules.generalizedGamma(arg(args, 0, Rules.GAMMA, t, 2),
                    arg(args, 1, Rules.STABILIZER, t, 2));
            case "alpha-beta", "alphabeta" -> Rules.alphaBeta(arg(args, 0, 2f, t, 3), arg(args, 1, 1f, t, 3),
                    arg(args, 2, Rules.STABILIZER, t, 3));
            case "zplus" -> Rules.zPlus(arg(args, 0, Rules.STABILIZER, t, 1), false);
            case "zplus-bias" -> Rules.zPlus(arg(args, 0, Rules.STABILIZER, t, 1), true);
            case "wsquare" -> Rules.wSquare(arg(args, 0, Rules.STABILIZER, t, 1), false);
            case "wsquare-bias" -> Rules.wSquare(arg(args, 0, Rules.STABILIZER, t, 1), true);
            case "flat" -> Rules.flat(arg(args, 0, Rules.STABILIZER, t, 1));
            case "zbox" -> {
                if (args.length == 0) {
                    float[][] lh = graph != null ? inputBounds(graph) : new float[][] {{0f}, {1f}};
                    yield Rules.zBox(lh[0], lh[1]);
                }
                if (args.length != 2 && args.length != 3) {
                    throw new IllegalArgumentException("zbox takes (low, high[, stabilizer]), got '" + t + "'");
                }
                yield Rules.zBox(new float[] {args[0]}, new float[] {args[1]},
                        args.length == 3 ? args[2] : Rules.STABILIZER);
            }
            case "pass" -> noArgs(Rules.pass(), args, t);
            case "gradient" -> noArgs(Rules.gradient(), args, t);
            default -> throw new IllegalArgumentException("unknown LRP rule '" + name + "'; rules: epsilon, gamma, "
                    + "generalized-gamma, alpha-beta, zplus, zplus-bias, wsquare, wsquare-bias, flat, zbox, norm, "
                    + "pass, gradient");
        };
    }

    private static BackwardRule noArgs(BackwardRule r, float[] args, String text) {
        if (args.length > 0) {
            throw new IllegalArgumentException("rule '" + text + "' takes no parameters");
        }
        return r;
    }

    private static float arg(float[] args, int i, float dflt, String text, int max) {
        if (args.length > max) {
            throw new IllegalArgumentException("rule '" + text + "' takes at most " + max + " parameter(s)");
        }
        return i < args.length ? args[i] : dflt;
    }
}
