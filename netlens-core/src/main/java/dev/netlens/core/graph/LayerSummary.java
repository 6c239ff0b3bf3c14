package dev.netlens.core.graph;

import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One row per node — name, op type, output shapes, parameter count — as shown by
 * {@code netlens inspect}. Output shapes come from a forward pass (a trace records the shape of
 * every value it computed).
 *
 * @param name node name (select layers by it)
 * @param op ONNX op type
 * @param outputs names of the output values (what taps and layer options refer to)
 * @param outputShapes shape of each output
 * @param parameters number of parameter elements the node reads
 */
public record LayerSummary(String name, String op, List<String> outputs, List<int[]> outputShapes, long parameters) {

    /** Rows for every node the trace computed, in topological order. */
    public static List<LayerSummary> of(Trace trace) {
        Map<String, int[]> shapes = new HashMap<>();
        for (Node n : trace.graph().nodes()) {
            for (String o : n.outputs()) {
                try {
                    shapes.put(o, trace.shape(o));
                } catch (IllegalArgumentException notComputed) {
                    // not needed by this run: left out
                }
            }
        }
        return of(trace.graph(), shapes);
    }

    /** Rows for every node whose output shapes are known (see {@link ShapeInference}). */
    public static List<LayerSummary> of(Graph g, Map<String, int[]> valueShapes) {
        List<LayerSummary> rows = new ArrayList<>();
        for (Node n : g.nodes()) {
            List<int[]> shapes = new ArrayList<>();
            boolean computed = true;
            for (String o : n.outputs()) {
                int[] s = valueShapes.get(o);
                if (s == null) {
                    computed = false;
                } else {
                    shapes.add(s);
                }
            }
            if (!computed) {
                continue;
            }
            long params = 0;
            for (String in : n.inputs()) {
                Tensor p = g.parameters().get(in);
                if (p != null) {
                    params += p.size();
                }
            }
            rows.add(new LayerSummary(n.name(), n.op().type(), n.outputs(), shapes, params));
        }
        return rows;
    }

    /** Total parameter elements of a graph (each parameter counted once). */
    public static long totalParameters(Graph g) {
        long total = 0;
        for (Tensor p : g.parameters().values()) {
            total += p.size();
        }
        return total;
    }
}
