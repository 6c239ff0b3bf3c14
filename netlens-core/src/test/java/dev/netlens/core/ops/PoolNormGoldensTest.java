package dev.netlens.core.ops;

import static dev.netlens.core.ops.OpHarness.BOTH;
import static dev.netlens.core.ops.OpHarness.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Trace;
import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pooling and normalisation ops against PyTorch goldens made by
 * {@code src/test/resources/goldens/make_pool_norm_goldens.py}: outputs within 1e-5 and gradients
 * within 1e-4 (relative to the largest reference magnitude), with both kernel sets.
 */
class PoolNormGoldensTest {
    private static final Goldens G = Goldens.load("/goldens/pool_norm_goldens.txt");
    private static final double FORWARD_RTOL = 1e-5;
    private static final double GRADIENT_RTOL = 1e-4;
    private static final double ATOL = 1e-6;

    /** One golden case made runnable: the op, its inputs, how many outputs and which mode. */
    private record Case(Op op, Tensor[] inputs, int outputs, boolean training) {
    }

    private static Case build(String name) {
        Tensor x = G.get(name + ".x");
        if (name.startsWith("maxpool")) {
            MaxPool op = MaxPool.builder().kernelShape(G.ints(name + ".kernel")).strides(G.ints(name + ".stride"))
                    .pads(G.ints(name + ".pad")).dilations(G.ints(name + ".dilation"))
                    .ceilMode(G.ints(name + ".ceil")[0] == 1).build();
            return new Case(op, new Tensor[] {x}, 2, false);
        }
        if (name.startsWith("avgpool")) {
            AveragePool op = AveragePool.builder().kernelShape(G.ints(name + ".kernel"))
                    .strides(G.ints(name + ".stride")).pads(G.ints(name + ".pad"))
                    .dilations(G.ints(name + ".dilation")).ceilMode(G.ints(name + ".ceil")[0] == 1)
                    .countIncludePad(G.ints(name + ".count_include_pad")[0] == 1).build();
            return new Case(op, new Tensor[] {x}, 1, false);
        }
        if (name.startsWith("gap_")) {
            return new Case(new GlobalAveragePool(), new Tensor[] {x}, 1, false);
        }
        if (name.startsWith("gmp_")) {
            return new Case(new GlobalMaxPool(), new Tensor[] {x}, 1, false);
        }
        if (name.startsWith("lrn_")) {
            Lrn op = Lrn.builder().size(G.ints(name + ".size")[0]).alpha(G.scalar(name + ".alpha"))
                    .beta(G.scalar(name + ".beta")).bias(G.scalar(name + ".bias")).build();
            return new Case(op, new Tensor[] {x}, 1, false);
        }
        if (name.startsWith("bn_")) {
            BatchNormalization op = BatchNormalization.builder().epsilon(G.scalar(name + ".epsilon"))
                    .momentum(G.scalar(name + ".momentum")).build();
            Tensor[] in = {x, G.get(name + ".scale"), G.get(name + ".B"), G.get(name + ".mean"), G.get(name + ".var")};
            boolean training = name.startsWith("bn_train");
            return new Case(op, in, training ? 3 : 1, training);
        }
        throw new IllegalStateException("unknown golden case " + name);
    }

    private static Trace run(Case c, Kernels k) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (int i = 0; i < c.inputs.length; i++) {
            feeds.put("in" + i, c.inputs[i]);
        }
        return OpHarness.graph(c.op, c.outputs, c.inputs).run().record().training(c.training).kernels(k).forward(feeds);
    }

    @Test
    void allCasesMatchPyTorch() {
        int checked = 0;
        for (String name : G.cases()) {
            Case c = build(name);
            for (Kernels k : BOTH) {
                String what = name + " (" + k.name() + ")";
                Trace t = run(c, k);
                assertClose(G.get(name + ".y"), t.output("out0"), FORWARD_RTOL, ATOL, what + " output");
                if (G.has(name + ".indices")) {
                    assertClose(G.get(name + ".indices"), t.output("out1"), 0, 0, what + " indices");
                }
                if (G.has(name + ".running_mean")) {
                    assertClose(G.get(name + ".running_mean"), t.output("out1"), FORWARD_RTOL, ATOL, what + " running_mean");
                    assertClose(G.get(name + ".running_var"), t.output("out2"), FORWARD_RTOL, ATOL, what + " running_var");
                }
                List<String> wrt = new ArrayList<>();
                for (int i = 0; i < c.inputs.length; i++) {
                    wrt.add("in" + i);
                }
                Map<String, Tensor> grads = t.gradients(Map.of("out0", G.get(name + ".gy")), wrt);
                assertClose(G.get(name + ".gx"), grads.get("in0"), GRADIENT_RTOL, ATOL, what + " dX");
                String[] params = {"gscale", "gB", "gmean", "gvar"};
                for (int p = 0; p < params.length; p++) {
                    if (G.has(name + "." + params[p])) {
                        assertClose(G.get(name + "." + params[p]), grads.get("in" + (p + 1)), GRADIENT_RTOL, ATOL,
                                what + " " + params[p]);
                    }
                }
            }
            checked++;
        }
        assertTrue(checked >= 30, "expected the golden file to hold at least 30 cases, found " + checked);
    }
}
