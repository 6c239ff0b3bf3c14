package dev.netlens.core.graph;

import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.kernels.Parallel;
import dev.netlens.core.kernels.UniformConvolutions;
import dev.netlens.core.ops.BackwardContext;
import dev.netlens.core.ops.ForwardContext;
import dev.netlens.core.ops.InPlaceForward;
import dev.netlens.core.ops.Op;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.core.tensor.TensorArena;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The result of one forward pass ({@link Run#forward}): outputs, tapped values and — when the run
 * recorded — what reverse-mode differentiation needs.
 *
 * <p>{@link #gradients(Map, Collection, Composite)} computes gradients of any computed values
 * (seeded with any tensors) with respect to any set of inputs, intermediates or parameters. Only
 * nodes on a path from a requested value to a seed are differentiated; parameter gradients are
 * computed only when parameters are requested; gradients of values with several consumers are
 * summed. Any number of backward passes may follow one forward pass. The derivative of each node
 * comes from its op, or from a {@link BackwardRule} chosen by a {@link Composite}.
 *
 * <p>A trace is used from one thread at a time.
 */
public final class Trace {
    private final Graph graph;
    private final Kernels kernels;
    private final boolean recorded;
    private final Retention retention;
    private final Map<String, Intervention> interventions;
    /** Values available to the caller: outputs, taps (and, while recording, nothing else). */
    private final Map<String, Tensor> kept = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new HashMap<>();
    private final NodeRecord[] records;
    private final LiveSet live = new LiveSet();
    private final List<String> requestedOutputs;
    private final Deque<RuleScope> scopes = new ArrayDeque<>();
    private final boolean training;
    private final long seed;
    /** The arena scope of a plain forward pass ({@link #executeInArena}), else null: in-place ops only then. */
    private TensorArena.Scope inPlaceScope;

    /** What one node's backward pass needs. */
    private static final class NodeRecord {
        final Node node;
        final Tensor[] inputs;
        final Tensor[] outputs;
        final Tensor[] preIntervention;
        Object saved;

        NodeRecord(Node node) {
            this.node = node;
            this.inputs = new Tensor[node.inputs().size()];
            this.outputs = new Tensor[node.outputs().size()];
            this.preIntervention = new Tensor[node.outputs().size()];
        }
    }

    Trace(Run run, Map<String, Tensor> inputs) {
        this.graph = run.graph;
        this.kernels = run.kernels != null ? run.kernels : Kernels.get();
        this.recorded = run.record;
        this.retention = run.retention;
        this.interventions = Collections.unmodifiableMap(new LinkedHashMap<>(run.interventions));
        this.requestedOutputs = run.outputs != null ? List.copyOf(run.outputs) : graph.outputNames();
        this.records = new NodeRecord[graph.nodes().size()];
        this.training = run.training;
        this.seed = run.seed;
        // The graph test (its node list) before the scan of the inputs.
        if (run.exactTies && !UniformConvolutions.active() && ExactTies.decidesByMaximum(graph)
                && ExactTies.anyFlatPatch(inputs)) {
            UniformConvolutions.call(() -> {
                executePass(run, inputs);
                return null;
            });
        } else {
            executePass(run, inputs);
        }
    }

    private void executePass(Run run, Map<String, Tensor> inputs) {
        if (recorded || !this.interventions.isEmpty() || TensorArena.inScope()) {
            execute(run, inputs);
        } else {
            executeInArena(run, inputs);
        }
    }

    /**
     * A forward pass without recording or interventions, with its intermediate values in the
     * calling thread's shared {@link TensorArena}: one pass after another reuses the last one's
     * arrays instead of allocating (and having the JVM zero) new ones — about 20 MB per ResNet-18
     * image. The arena gives up the arrays of the requested outputs and taps
     * ({@link TensorArena.Scope#disown}), so nothing this trace hands out is recycled later, and
     * nothing is copied. Runs with interventions stay outside: an
     * intervention may keep a reference to the value it sees. Measured on ResNet-18 at batch 1, 2
     * threads (netlens bench --method forward, 3 alternating runs): 27.8–29.3 ms without the arena,
     * 23.2–25.7 ms with it.
     *
     * <p>In such passes element-wise ops that can ({@link InPlaceForward}: ReLU and the other unary
     * activations, same-shape sums) write their output over an input that nothing reads afterwards
     * ({@link #overwritableInput}).
     */
    private void executeInArena(Run run, Map<String, Tensor> inputs) {
        try (TensorArena.Scope pass = TensorArena.shared().enter()) {
            inPlaceScope = pass;
            try {
                execute(run, inputs);
            } finally {
                inPlaceScope = null;
            }
            for (Tensor t : kept.values()) {
                if (t != null) {
                    pass.disown(t.data());
                }
            }
        }
    }

    // ------------------------------------------------------------------ forward

    private void execute(Run run, Map<String, Tensor> inputs) {
        Set<String> keep = new LinkedHashSet<>(requestedOutputs);
        keep.addAll(run.taps);
        List<Node> schedule = schedule(keep);

        Map<String, Integer> remaining = new HashMap<>();
        for (Node n : schedule) {
            for (String i : n.inputs()) {
                if (!i.isEmpty()) {
                    remaining.merge(i, 1, Integer::sum);
                }
            }
        }
        Map<String, Tensor> env = new HashMap<>();
        bindInputs(inputs, env);
        for (String k : keep) {
            if (env.containsKey(k)) {
                kept.put(k, env.get(k));
            }
        }
        for (Map.Entry<String, Tensor> p : graph.parameters().entrySet()) {
            shapes.put(p.getKey(), p.getValue().shape());
            Tensor value = run.parameterValues.get(p.getKey());
            Intervention iv = interventions.get(p.getKey());
            if (iv != null) {
                Tensor edited = applyIntervention(p.getKey(), iv, value != null ? value : p.getValue());
                env.put(p.getKey(), edited);
                live.hold(edited);
            } else if (value != null) {
                env.put(p.getKey(), value);
            }
        }
        for (String k : keep) {
            if (graph.isParameter(k)) {
                kept.put(k, env.getOrDefault(k, graph.parameters().get(k)));
            }
        }

        for (Node node : schedule) {
            Tensor[] in = new Tensor[node.inputs().size()];
            for (int i = 0; i < in.length; i++) {
                String name = node.inputs().get(i);
                if (name.isEmpty()) {
                    continue;
                }
                Tensor t = env.get(name);
                if (t == null) {
                    t = graph.parameters().get(name);
                }
                if (t == null) {
                    throw new IllegalStateException("node '" + node.name() + "' needs '" + name
                            + "', which is not available (internal scheduling error)");
                }
                in[i] = t;
            }
            NodeRecord rec = recorded ? new NodeRecord(node) : null;
            int overwrite = inPlaceScope == null ? -1 : overwritableInput(node, in, remaining, keep, env);
            Tensor[] out = runForward(node, in, rec, overwrite);
            for (int o = 0; o < out.length; o++) {
                String name = node.outputs().get(o);
                Tensor value = out[o];
                shapes.put(name, value.shape());
                Intervention iv = interventions.get(name);
                if (iv != null) {
                    if (rec != null) {
                        rec.preIntervention[o] = value;
                        live.hold(value);
                    }
                    value = applyIntervention(name, iv, value);
                }
                if (remaining.getOrDefault(name, 0) > 0 || keep.contains(name)) {
                    env.put(name, value);
                    live.hold(value);
                }
                if (keep.contains(name)) {
                    kept.put(name, value);
                }
            }
            if (rec != null) {
                Op op = node.op();
                boolean all = retention == Retention.ALL;
                for (int i = 0; i < in.length; i++) {
                    if (in[i] != null && (all || op.retainsInput(i))) {
                        rec.inputs[i] = in[i];
                        if (!graph.isParameter(node.inputs().get(i))) {
                            live.hold(in[i]);
                        }
                    }
                }
                for (int o = 0; o < out.length; o++) {
                    if (all || op.retainsOutput(o)) {
                        rec.outputs[o] = out[o];
                        live.hold(out[o]);
                    }
                }
                records[graph.position(node)] = rec;
            }
            for (String name : node.inputs()) {
                if (name.isEmpty()) {
                    continue;
                }
                int left = remaining.merge(name, -1, Integer::sum);
                if (left == 0 && !keep.contains(name)) {
                    Tensor t = env.remove(name);
                    live.release(t);
                }
            }
        }
    }

    /** Nodes needed for the kept values, in topological order. */
    private List<Node> schedule(Set<String> keep) {
        Set<String> needed = new HashSet<>(keep);
        boolean[] run = new boolean[graph.nodes().size()];
        List<Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            for (String o : n.outputs()) {
                if (needed.contains(o)) {
                    run[i] = true;
                    break;
                }
            }
            if (run[i]) {
                for (String in : n.inputs()) {
                    if (!in.isEmpty()) {
                        needed.add(in);
                    }
                }
            }
        }
        List<Node> schedule = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (run[i]) {
                schedule.add(nodes.get(i));
            }
        }
        return schedule;
    }

    private void bindInputs(Map<String, Tensor> inputs, Map<String, Tensor> env) {
        for (String name : inputs.keySet()) {
            if (!graph.inputNames().contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is not an input of the graph; its inputs are "
                        + graph.inputNames());
            }
        }
        for (String name : graph.inputNames()) {
            Tensor t = inputs.get(name);
            if (t == null) {
                throw new IllegalArgumentException("missing graph input '" + name + "' (shape "
                        + graph.inputShapeText(name) + ")");
            }
            int[] declared = graph.inputShape(name);
            int[] actual = t.shape();
            boolean ok = declared.length == actual.length;
            for (int d = 0; ok && d < declared.length; d++) {
                ok = declared[d] < 0 || declared[d] == actual[d];
            }
            if (!ok) {
                throw new IllegalArgumentException("input '" + name + "' has shape " + Shapes.toString(actual)
                        + " but the graph expects " + Shapes.toString(declared) + " (-1 = any extent)");
            }
            shapes.put(name, actual);
            Intervention iv = interventions.get(name);
            Tensor value = iv == null ? t : applyIntervention(name, iv, t);
            env.put(name, value);
            live.hold(value);
        }
    }

    private Tensor applyIntervention(String name, Intervention iv, Tensor value) {
        Tensor edited;
        try {
            edited = iv.apply(value);
        } catch (RuntimeException e) {
            throw rethrow("intervention on '" + name + "': ", e);
        }
        if (edited == null || !Arrays.equals(edited.shape(), value.shape())) {
            throw new IllegalArgumentException("the intervention on '" + name + "' changed its shape from "
                    + Shapes.toString(value.shape()) + " to " + (edited == null ? "null" : Shapes.toString(edited.shape())));
        }
        return edited;
    }

    /**
     * The input of {@code node} its op may overwrite, or −1: an {@link InPlaceForward} op, an input
     * that is neither a graph input, a parameter nor a kept value, that this node reads last (and
     * once), whose array this pass's arena handed out (so it is no constant or caller's array), and
     * that no other value still held shares.
     */
    private int overwritableInput(Node node, Tensor[] in, Map<String, Integer> remaining, Set<String> keep,
                                  Map<String, Tensor> env) {
        if (!(node.op() instanceof InPlaceForward op) || node.outputs().size() != 1
                || interventions.containsKey(node.outputs().get(0))) {
            return -1;
        }
        for (int i = 0; i < in.length; i++) {
            String name = node.inputs().get(i);
            if (name.isEmpty() || in[i] == null || keep.contains(name) || graph.isParameter(name)
                    || graph.inputNames().contains(name) || remaining.getOrDefault(name, 0) != 1
                    || !op.canOverwrite(in, i) || !inPlaceScope.owns(in[i].data())) {
                continue;
            }
            boolean shared = false;
            for (Map.Entry<String, Tensor> e : env.entrySet()) {
                if (!e.getKey().equals(name) && e.getValue().data() == in[i].data()) {
                    shared = true;
                    break;
                }
            }
            if (!shared) {
                return i;
            }
        }
        return -1;
    }

    private Tensor[] runForward(Node node, Tensor[] in, NodeRecord rec, int overwrite) {
        ForwardContext ctx = new NodeForwardContext(node, rec);
        Tensor[] out;
        try {
            out = overwrite >= 0 ? ((InPlaceForward) node.op()).forwardInPlace(ctx, in, overwrite)
                    : node.op().forward(ctx, in);
        } catch (RuntimeException e) {
            throw rethrow(describe(node, in) + ": ", e);
        }
        if (out == null || out.length < node.outputs().size()) {
            throw new IllegalStateException(describe(node, in) + " produced " + (out == null ? 0 : out.length)
                    + " outputs but the node declares " + node.outputs().size());
        }
        for (int o = 0; o < node.outputs().size(); o++) {
            if (out[o] == null) {
                throw new IllegalStateException(describe(node, in) + " produced no value for output '"
                        + node.outputs().get(o) + "'");
            }
        }
        return out.length == node.outputs().size() ? out : Arrays.copyOf(out, node.outputs().size());
    }

    /** The forward context of one node: the run's kernels, mode and per-node seeded randomness. */
    private final class NodeForwardContext implements ForwardContext {
        private final Node node;
        private final NodeRecord rec;
        private SplittableRandom random;

        NodeForwardContext(Node node, NodeRecord rec) {
            this.node = node;
            this.rec = rec;
        }

        @Override
        public Kernels kernels() {
            return kernels;
        }

        @Override
        public boolean training() {
            return training;
        }

        @Override
        public boolean recording() {
            return rec != null;
        }

        @Override
        public void save(Object state) {
            if (rec != null) {
                rec.saved = state;
            }
        }

        @Override
        public SplittableRandom random() {
            if (random == null) {
                random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + graph.position(node));
            }
            return random;
        }

        @Override
        public String nodeName() {
            return node.name();
        }

        @Override
        public int outputCount() {
            return node.outputs().size();
        }
    }

    private static String describe(Node node, Tensor[] in) {
        StringBuilder b = new StringBuilder("node '").append(node.name()).append("' (").append(node.op().type()).append(")");
        b.append(" with inputs ");
        for (int i = 0; i < in.length; i++) {
            b.append(i == 0 ? "" : ", ").append(node.inputs().get(i).isEmpty() ? "<absent>" : node.inputs().get(i));
            if (in[i] != null) {
                b.append(Shapes.toString(in[i].shape()));
            }
        }
        return b.toString();
    }

    /** Wraps an exception with context, keeping bad-input errors recognisable as such. */
    static RuntimeException rethrow(String prefix, RuntimeException e) {
        String msg = prefix + e.getMessage();
        if (e instanceof IllegalArgumentException) {
            return new IllegalArgumentException(msg, e);
        }
        if (e instanceof UnsupportedOperationException) {
            return new UnsupportedOperationException(msg, e);
        }
        return new IllegalStateException(msg, e);
    }

    // ------------------------------------------------------------------ results

    public Graph graph() {
        return graph;
    }

    /** The single requested output. */
    public Tensor output() {
        if (requestedOutputs.size() != 1) {
            throw new IllegalStateException("this run has " + requestedOutputs.size() + " outputs " + requestedOutputs
                    + "; ask for one by name");
        }
        return kept.get(requestedOutputs.get(0));
    }

    /** A requested output by name. */
    public Tensor output(String name) {
        return value(name);
    }

    /** The requested outputs in order. */
    public Map<String, Tensor> outputs() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (String o : requestedOutputs) {
            m.put(o, kept.get(o));
        }
        return m;
    }

    /** A requested output or tapped value (as consumers saw it, i.e. after any intervention). */
    public Tensor value(String name) {
        Tensor t = kept.get(name);
        if (t == null) {
            throw new IllegalArgumentException("'" + name + "' was neither tapped nor requested as an output of this run"
                    + "; tapped/outputs: " + kept.keySet() + " (use run().tap(\"" + name + "\"))");
        }
        return t;
    }

    /** Shape of any value computed by this run (or of a parameter). */
    public int[] shape(String value) {
        int[] s = shapes.get(value);
        if (s == null) {
            graph.requireValue(value, "shape");
            throw new IllegalArgumentException("'" + value + "' was not computed in this run (it is not needed for "
                    + requestedOutputs + " or the taps)");
        }
        return s.clone();
    }

    public boolean recorded() {
        return recorded;
    }

    /** Tensors held during and after the forward pass. */
    public MemoryStats memory() {
        return live.stats();
    }

    // ------------------------------------------------------------------ rules

    /** Binds a composite to this trace until the scope is closed (see {@link RuleScope}). */
    public RuleScope withRules(Composite composite) {
        RuleScope scope = new RuleScope(this, composite);
        scopes.push(scope);
        return scope;
    }

    void unbind(RuleScope scope) {
        scopes.remove(scope);
    }

    /** The composite currently bound by {@link #withRules}, or {@link Composite#NONE}. */
    public Composite boundComposite() {
        RuleScope top = scopes.peek();
        return top == null ? Composite.NONE : top.composite();
    }

    // ------------------------------------------------------------------ backward

    /** Gradient of {@code Σ seed ⊙ value(of)} with respect to one value. */
    public Tensor gradient(String of, Tensor seed, String wrt) {
        return gradients(Map.of(of, seed), List.of(wrt)).get(wrt);
    }

    /** Gradients with the currently bound composite (if any). */
    public Map<String, Tensor> gradients(Map<String, Tensor> seeds, Collection<String> wrt) {
        return gradients(seeds, wrt, boundComposite());
    }

    /**
     * Gradients of {@code Σ_v seed_v ⊙ v} over the seeded values v, with respect to each value in
     * {@code wrt} (inputs, intermediates or parameters; for a value with an intervention, the
     * gradient with respect to the edited value its consumers saw). Nodes matched by
     * {@code composite} use its rule instead of their op's VJP. Values that do not influence any
     * seed get zero gradients.
     */
    public Map<String, Tensor> gradients(Map<String, Tensor> seeds, Collection<String> wrt, Composite composite) {
        if (!recorded) {
            throw new IllegalStateException("this trace was run in inference mode; use graph.run().record() to "
                    + "compute gradients");
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seed given: name at least one value to differentiate");
        }
        for (Map.Entry<String, Tensor> s : seeds.entrySet()) {
            int[] shape = shape(s.getKey());
            if (!Arrays.equals(shape, s.getValue().shape())) {
                throw new IllegalArgumentException("the seed for '" + s.getKey() + "' has shape "
                        + Shapes.toString(s.getValue().shape()) + " but the value has shape " + Shapes.toString(shape));
            }
        }
        Set<String> wrtSet = new LinkedHashSet<>(wrt);
        for (String w : wrtSet) {
            shape(w); // validates
        }
        List<Node> nodes = graph.nodes();

        // Values that depend on a requested value.
        Set<String> active = new HashSet<>(wrtSet);
        for (Node n : nodes) {
            if (records[graph.position(n)] == null) {
                continue;
            }
            for (String i : n.inputs()) {
                if (!i.isEmpty() && active.contains(i)) {
                    active.addAll(n.outputs());
                    break;
                }
            }
        }
        // Values that influence a seed.
        Set<String> useful = new HashSet<>(seeds.keySet());
        for (int p = nodes.size() - 1; p >= 0; p--) {
            Node n = nodes.get(p);
            if (records[p] == null) {
                continue;
            }
            for (String o : n.outputs()) {
                if (useful.contains(o)) {
                    for (String i : n.inputs()) {
                        if (!i.isEmpty()) {
                            useful.add(i);
                        }
                    }
                    break;
                }
            }
        }

        Map<String, Tensor> grads = new HashMap<>(seeds);
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int p = nodes.size() - 1; p >= 0; p--) {
            NodeRecord rec = records[p];
            if (rec == null) {
                continue;
            }
            Node node = rec.node;
            boolean[] needs = new boolean[node.inputs().size()];
            boolean anyNeeded = false;
            for (int i = 0; i < needs.length; i++) {
                String in = node.inputs().get(i);
                needs[i] = !in.isEmpty() && active.contains(in);
                anyNeeded |= needs[i];
            }
            boolean anyGrad = false;
            for (String o : node.outputs()) {
                anyGrad |= useful.contains(o) && grads.containsKey(o);
            }
            if (!anyNeeded || !anyGrad) {
                continue;
            }
            Tensor[] gOut = new Tensor[node.outputs().size()];
            for (int o = 0; o < gOut.length; o++) {
                String name = node.outputs().get(o);
                Tensor g = grads.get(name);
                if (g == null) {
                    g = Tensor.zeros(shapes.get(name));
                }
                Intervention iv = interventions.get(name);
                if (iv != null) {
                    Tensor pre = rec.preIntervention[o];
                    Tensor back;
                    try {
                        back = iv.backward(pre, g);
                    } catch (RuntimeException e) {
                        throw rethrow("backward of the intervention on '" + name + "': ", e);
                    }
                    g = back != null ? back : Tensor.zeros(pre.shape());
                }
                gOut[o] = g;
                if (!wrtSet.contains(name)) {
                    grads.remove(name);
                }
            }
            BackwardRule rule = composite.ruleFor(node, graph);
            // a rule may run the op's own backward pass and then change its result, so only an op
            // running unruled may take an input's pending gradient (BackwardContext.takePendingGradient)
            Context ctx = new Context(rec, needs, rule == null ? grads : null);
            Tensor[] gIn;
            try {
                gIn = rule != null ? rule.backward(ctx, gOut) : node.op().backward(ctx, gOut);
            } catch (RuntimeException e) {
                throw rethrow("backward of node '" + node.name() + "' (" + node.op().type()
                        + (rule != null ? ", rule " + rule : "") + "): ", e);
            }
            if (gIn == null || gIn.length < needs.length) {
                throw new IllegalStateException("backward of node '" + node.name() + "' (" + node.op().type()
                        + ") returned " + (gIn == null ? "null" : gIn.length + " gradients") + " for "
                        + needs.length + " inputs");
            }
            for (int i = 0; i < needs.length; i++) {
                if (ctx.tookPending(i) && gIn[i] == null) {
                    throw new IllegalStateException("backward of node '" + node.name() + "' (" + node.op().type()
                            + ") took the pending gradient of input " + i + " but returned none for it");
                }
                if (!needs[i] || gIn[i] == null) {
                    continue;
                }
                String in = node.inputs().get(i);
                int[] expected = shapes.get(in);
                if (!Arrays.equals(expected, gIn[i].shape())) {
                    throw new IllegalStateException("backward of node '" + node.name() + "' (" + node.op().type()
                            + ") returned a gradient of shape " + Shapes.toString(gIn[i].shape()) + " for input '" + in
                            + "' of shape " + Shapes.toString(expected));
                }
                if (ctx.tookPending(i)) {
                    // gIn[i] already includes the gradient the input had; it may be that very
                    // tensor (an op may return it), so it is not the trace's to add into
                    owned.remove(gIn[i]);
                    grads.put(in, gIn[i]);
                } else {
                    accumulate(grads, owned, in, gIn[i]);
                }
            }
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (String w : wrtSet) {
            Tensor g = grads.get(w);
            result.put(w, g != null ? g : Tensor.zeros(shapes.get(w)));
        }
        return result;
    }

    private static void accumulate(Map<String, Tensor> grads, Set<Tensor> owned, String name, Tensor g) {
        Tensor prev = grads.get(name);
        if (prev == null) {
            // g may be a sum made here for another value and passed through (Add hands one array to
            // both inputs): held under two names now, it is no longer this trace's to add into
            owned.remove(g);
            grads.put(name, g);
            return;
        }
        float[] d = g.data();
        Tensor sum;
        if (owned.contains(prev)) {
            sum = prev;
        } else {
            // prev may be shared (an op may pass one gradient to several inputs): sum into a new array.
            sum = Tensor.uninitializedLike(prev);
            owned.add(sum);
        }
        float[] s = sum.data();
        float[] a = prev.data();
        Parallel.range(s.length, SUM_GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                s[i] = a[i] + d[i];
            }
        });
        grads.put(name, sum);
    }

    /**
     * Fewest elements per thread when gradient contributions are summed: below this, one thread.
     * The sums of a residual network's skip connections are its largest serial loops otherwise
     * (resnet8 training at batch 128: 1.6 million elements for the first block).
     */
    private static final int SUM_GRAIN = 1 << 15;

    /** The backward context of one node. */
    private final class Context implements BackwardContext {
        private final NodeRecord rec;
        private final boolean[] needs;
        /** The gradients so far, when this node may take pending ones; else null. */
        private final Map<String, Tensor> pending;
        private boolean[] took;
        private Tensor[] recomputed;

        Context(NodeRecord rec, boolean[] needs, Map<String, Tensor> pending) {
            this.rec = rec;
            this.needs = needs;
            this.pending = pending;
        }

        /**
         * Offered when the node runs its op unruled and the input is wanted, has a gradient so
         * far, and is not also another input of the node (whose gradient would be summed in too).
         */
        @Override
        public Tensor takePendingGradient(int index) {
            if (pending == null || !needsGradient(index)) {
                return null;
            }
            List<String> names = rec.node.inputs();
            String name = names.get(index);
            if (names.indexOf(name) != names.lastIndexOf(name)) {
                return null;
            }
            Tensor g = pending.get(name);
            if (g == null) {
                return null;
            }
            if (took == null) {
                took = new boolean[needs.length];
            }
            took[index] = true;
            return g;
        }

        /** Whether the op took input {@code index}'s pending gradient. */
        boolean tookPending(int index) {
            return took != null && took[index];
        }

        @Override
        public Kernels kernels() {
            return kernels;
        }

        @Override
        public Op op() {
            return rec.node.op();
        }

        @Override
        public String nodeName() {
            return rec.node.name();
        }

        @Override
        public int inputCount() {
            return rec.inputs.length;
        }

        @Override
        public int outputCount() {
            return rec.outputs.length;
        }

        @Override
        public boolean hasInput(int index) {
            return index < rec.inputs.length && !rec.node.inputs().get(index).isEmpty();
        }

        @Override
        public Tensor input(int index) {
            Tensor t = rec.inputs[index];
            if (t == null) {
                if (!hasInput(index)) {
                    throw new IllegalStateException("input " + index + " of node '" + rec.node.name() + "' is absent");
                }
                throw new IllegalStateException("input " + index + " ('" + rec.node.inputs().get(index) + "') of node '"
                        + rec.node.name() + "' (" + rec.node.op().type() + ") was not retained by the forward pass;"
                        + " record with Retention.ALL to use rules that read it");
            }
            return t;
        }

        @Override
        public Tensor output(int index) {
            Tensor t = rec.outputs[index];
            if (t != null) {
                return t;
            }
            if (recomputed == null) {
                Tensor[] in = new Tensor[rec.inputs.length];
                for (int i = 0; i < in.length; i++) {
                    in[i] = hasInput(i) ? input(i) : null;
                }
                // Same mode, seed and kernels as the recorded pass, so training-mode ops reproduce it.
                recomputed = rec.node.op().forward(new NodeForwardContext(rec.node, null), in);
            }
            return recomputed[index];
        }

        @Override
        public int[] inputShape(int index) {
            return shapes.get(rec.node.inputs().get(index)).clone();
        }

        @Override
        public int[] outputShape(int index) {
            return shapes.get(rec.node.outputs().get(index)).clone();
        }

        @Override
        public Object saved() {
            return rec.saved;
        }

        @Override
        public boolean needsGradient(int index) {
            return index < needs.length && needs[index];
        }
    }
}
