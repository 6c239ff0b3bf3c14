package dev.netlens.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares the element-wise, broadcasting, variadic, softmax and reduction ops with PyTorch:
 * goldens/elementwise_goldens.txt holds inputs, outputs and input gradients (for a random upstream
 * gradient) made by goldens/make_elementwise_goldens.py (format described there). Forward outputs
 * must agree within 1e-5 and gradients within 1e-4, relative per element (with a floor of 1e-3 of
 * the tensor's largest magnitude, so that elements that are tiny by cancellation are judged on
 * the tensor's scale).
 */
class ElementwiseGoldensTest {
    private static final String RESOURCE = "/goldens/elementwise_goldens.txt";

    /** One golden case. */
    record Golden(String name, String type, Map<String, String> attrs, List<Tensor> inputs, Tensor out, Tensor gout,
                  Map<Integer, Tensor> gin) {
    }

    static Tensor parseTensor(String[] f, int from) {
        int[] shape = f[from].equals("scalar") ? new int[0]
                : Arrays.stream(f[from].split("x")).mapToInt(Integer::parseInt).toArray();
        float[] v = new float[f.length - from - 1];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.parseFloat(f[from + 1 + i]);
        }
        return Tensor.of(v, shape);
    }

    static List<Golden> load() throws IOException {
        List<Golden> out = new ArrayList<>();
        try (InputStream in = ElementwiseGoldensTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, "missing resource " + RESOURCE);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String name = null;
            String type = null;
            Map<String, String> attrs = null;
            List<Tensor> inputs = null;
            Tensor y = null;
            Tensor gout = null;
            Map<Integer, Tensor> gin = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                switch (f[0]) {
                    case "case" -> {
                        name = f[1];
                        attrs = new LinkedHashMap<>();
                        inputs = new ArrayList<>();
                        gin = new TreeMap<>();
                    }
                    case "op" -> {
                        type = f[1];
                        for (int i = 2; i < f.length; i++) {
                            String[] kv = f[i].split("=", 2);
                            attrs.put(kv[0], kv[1]);
                        }
                    }
                    case "in" -> inputs.add(parseTensor(f, 1));
                    case "out" -> y = parseTensor(f, 1);
                    case "gout" -> gout = parseTensor(f, 1);
                    case "gin" -> gin.put(Integer.parseInt(f[1]), parseTensor(f, 2));
                    case "end" -> out.add(new Golden(name, type, attrs, inputs, y, gout, gin));
                    default -> throw new IllegalStateException("unexpected golden line: " + line);
                }
            }
        }
        return out;
    }

    private static float f(Map<String, String> a, String key, float dflt) {
        return a.containsKey(key) ? Float.parseFloat(a.get(key)) : dflt;
    }

    private static int i(Map<String, String> a, String key, int dflt) {
        return a.containsKey(key) ? Integer.parseInt(a.get(key)) : dflt;
    }

    private static int[] axes(Map<String, String> a) {
        return a.containsKey("axes") ? Arrays.stream(a.get("axes").split(",")).mapToInt(Integer::parseInt).toArray() : null;
    }

    /** Builds the op from its ONNX type and attributes (absent attributes take ONNX defaults). */
    static Op build(String type, Map<String, String> a) {
        boolean legacy = i(a, "legacy", 0) == 1;
        boolean keep = i(a, "keepdims", 1) == 1;
        boolean noop = i(a, "noop_with_empty_axes", 0) == 1;
        return switch (type) {
            case "LeakyRelu" -> new LeakyRelu(f(a, "alpha", LeakyRelu.DEFAULT_ALPHA));
            case "Elu" -> new Elu(f(a, "alpha", Elu.DEFAULT_ALPHA));
            case "Selu" -> new Selu(f(a, "alpha", Selu.DEFAULT_ALPHA), f(a, "gamma", Selu.DEFAULT_GAMMA));
            case "Sigmoid" -> new Sigmoid();
            case "Tanh" -> new Tanh();
            case "Clip" -> Clip.of(a.containsKey("min") ? f(a, "min", 0) : null, a.containsKey("max") ? f(a, "max", 0) : null);
            case "HardSigmoid" -> new HardSigmoid(f(a, "alpha", HardSigmoid.DEFAULT_ALPHA), f(a, "beta", HardSigmoid.DEFAULT_BETA));
            case "HardSwish" -> new HardSwish();
            case "Softplus" -> new Softplus();
            case "Gelu" -> Gelu.of(a.getOrDefault("approximate", "none"));
            case "Erf" -> new Erf();
            case "Neg" -> new Neg();
            case "Abs" -> new Abs();
            case "Exp" -> new Exp();
            case "Log" -> new Log();
            case "Sqrt" -> new Sqrt();
            case "Reciprocal" -> new Reciprocal();
            case "Sub" -> new Sub();
            case "Mul" -> new Mul();
            case "Div" -> new Div();
            case "Pow" -> new Pow();
            case "PRelu" -> new PRelu();
            case "Max" -> new Max();
            case "Min" -> new Min();
            case "Softmax" -> legacy ? Softmax.legacyCoerced(i(a, "axis", 1)) : Softmax.along(i(a, "axis", -1));
            case "LogSoftmax" -> legacy ? LogSoftmax.legacyCoerced(i(a, "axis", 1)) : LogSoftmax.along(i(a, "axis", -1));
            case "ReduceSum" -> ReduceSum.of(axes(a), keep, noop);
            case "ReduceMean" -> ReduceMean.of(axes(a), keep, noop);
            case "ReduceMax" -> ReduceMax.of(axes(a), keep, noop);
            case "ReduceMin" -> ReduceMin.of(axes(a), keep, noop);
            default -> throw new IllegalArgumentException("no op for golden type " + type);
        };
    }

    /** Per element |a − e| ≤ rtol·(|e| + 1e-3·max|e|). */
    static void assertRelClose(Tensor expected, Tensor actual, double rtol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Shapes.toString(actual.shape()));
        double max = 0;
        for (float v : expected.data()) {
            max = Math.max(max, Math.abs(v));
        }
        for (int k = 0; k < expected.size(); k++) {
            double e = expected.data()[k];
            double a = actual.data()[k];
            double tol = rtol * (Math.abs(e) + 1e-3 * max);
            int at = k;
            assertTrue(Math.abs(a - e) <= tol, () -> what + ": element " + at + " is " + a + ", PyTorch " + e
                    + " (|Δ| = " + Math.abs(a - e) + ", tolerance " + tol + ")");
        }
    }

    @TestFactory
    Stream<DynamicTest> matchPyTorch() throws IOException {
        return load().stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> {
            Op op = build(g.type(), g.attrs());
            Tensor[] in = g.inputs().toArray(new Tensor[0]);
            for (var k : OpHarness.BOTH) {
                assertRelClose(g.out(), OpHarness.run(op, k, in), 1e-5, g.name() + " forward (" + k.name() + ")");
            }
            Tensor[] grads = OpTestSupport.vjp(op, g.gout(), in);
            for (Map.Entry<Integer, Tensor> e : g.gin().entrySet()) {
                assertRelClose(e.getValue(), grads[e.getKey()], 1e-4, g.name() + " d/d input " + e.getKey());
            }
        }));
    }

    @Test
    void goldensCoverEveryOp() throws IOException {
        Set<String> types = new TreeSet<>();
        for (Golden g : load()) {
            types.add(g.type());
            assertEquals(g.type(), build(g.type(), g.attrs()).type());
        }
        Set<String> expected = new TreeSet<>(List.of("LeakyRelu", "Elu", "Selu", "Sigmoid", "Tanh", "Clip", "HardSigmoid",
                "HardSwish", "Softplus", "Gelu", "Erf", "Neg", "Abs", "Exp", "Log", "Sqrt", "Reciprocal", "Sub", "Mul", "Div",
                "Pow", "PRelu", "Max", "Min", "Softmax", "LogSoftmax", "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin"));
        assertEquals(expected, types);
    }
}
