package dev.netlens.core.graph;

import dev.netlens.core.tensor.Shapes;
import java.util.HashMap;
import java.util.Map;

/**
 * Shapes of every value of a graph for given input shapes, from each op's
 * {@link dev.netlens.core.ops.Op#outputShapes} — no arithmetic is run for ops that compute their
 * shapes directly (convolutions, GEMMs, pools, element-wise ops).
 */
public final class ShapeInference {
    private ShapeInference() {
    }

    /**
     * Shapes of all inputs, parameters and node outputs. Every graph input needs a shape; a
     * validation failure names the node and its input shapes.
     */
    public static Map<String, int[]> infer(Graph graph, Map<String, int[]> inputShapes) {
        Map<String, int[]> shapes = new HashMap<>();
        for (String in : graph.inputNames()) {
            int[] s = inputShapes.get(in);
            if (s == null) {
                throw new IllegalArgumentException("no shape given for graph input '" + in + "' (declared "
                        + graph.inputShapeText(in) + ")");
            }
            shapes.put(in, s.clone());
        }
        graph.parameters().forEach((k, v) -> shapes.put(k, v.shape()));
        for (Node n : graph.nodes()) {
            int[][] in = new int[n.inputs().size()][];
            for (int i = 0; i < in.length; i++) {
                in[i] = n.inputs().get(i).isEmpty() ? null : shapes.get(n.inputs().get(i));
            }
            int[][] out;
            try {
                out = n.op().outputShapes(in, n.outputs().size());
            } catch (RuntimeException e) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < in.length; i++) {
                    b.append(i == 0 ? "" : ", ").append(in[i] == null ? "<absent>" : Shapes.toString(in[i]));
                }
                throw Trace.rethrow("node '" + n.name() + "' (" + n.op().type() + ") with input shapes " + b + ": ", e);
            }
            for (int o = 0; o < n.outputs().size(); o++) {
                shapes.put(n.outputs().get(o), out[o]);
            }
        }
        return shapes;
    }

    /** The declared input shapes with every dynamic extent replaced by {@code dynamic}. */
    public static Map<String, int[]> declaredInputs(Graph graph, int dynamic) {
        Map<String, int[]> m = new HashMap<>();
        for (String in : graph.inputNames()) {
            int[] s = graph.inputShape(in);
            for (int d = 0; d < s.length; d++) {
                if (s[d] < 0) {
                    s[d] = dynamic;
                }
            }
            m.put(in, s);
        }
        return m;
    }
}
