package dev.netlens.core.ops;

import static dev.netlens.core.ops.MaxPoolTest.assertMessage;
import static dev.netlens.core.ops.OpHarness.BOTH;
import static dev.netlens.core.ops.OpHarness.assertClose;
import static dev.netlens.core.ops.RandomCases.between;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchNormalizationTest {

    /** Y, running_mean, running_var in double, straight from the definitions. */
    static Tensor[] reference(Tensor x, Tensor scale, Tensor b, Tensor mean, Tensor var, double eps, double momentum,
                              boolean training, boolean unbiased) {
        int[] s = x.shape();
        int n = s[0], c = s[1], area = Shapes.size(s, 2, s.length), m = n * area;
        Tensor y = Tensor.zerosLike(x);
        Tensor rm = Tensor.zeros(c);
        Tensor rv = Tensor.zeros(c);
        for (int ch = 0; ch < c; ch++) {
            double mu = mean.data()[ch];
            double sigma2 = var.data()[ch];
            if (training) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    for (int p = 0; p < area; p++) {
                        sum += x.data()[(i * c + ch) * area + p];
                    }
                }
                mu = sum / m;
                double sq = 0;
                for (int i = 0; i < n; i++) {
                    for (int p = 0; p < area; p++) {
                        double d = x.data()[(i * c + ch) * area + p] - mu;
                        sq += d * d;
                    }
                }
                sigma2 = sq / m;
                rm.data()[ch] = (float) (mean.data()[ch] * momentum + mu * (1 - momentum));
                rv.data()[ch] = (float) (var.data()[ch] * momentum + sq / (unbiased ? m - 1 : m) * (1 - momentum));
            } else {
                rm.data()[ch] = mean.data()[ch];
                rv.data()[ch] = var.data()[ch];
            }
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < area; p++) {
                    int k = (i * c + ch) * area + p;
                    y.data()[k] = (float) (scale.data()[ch] * (x.data()[k] - mu) / Math.sqrt(sigma2 + eps) + b.data()[ch]);
                }
            }
        }
        return new Tensor[] {y, rm, rv};
    }

    private static int[] randomShape(SplittableRandom r) {
        int rank = between(r, 2, 5);
        int[] shape = new int[rank];
        shape[0] = between(r, 1, 3);
        shape[1] = between(r, 1, 4);
        for (int i = 2; i < rank; i++) {
            shape[i] = between(r, 1, 4);
        }
        if (rank == 2 && shape[0] == 1) {
            shape[0] = 2;
        }
        return shape;
    }

    /** X, scale, B, input_mean, input_var with a positive variance. */
    private static Tensor[] randomInputs(SplittableRandom r, int[] shape) {
        int c = shape[1];
        Tensor var = Tensor.randomUniform(r, 0.3f, 2f, c);
        return new Tensor[] {Tensor.randomNormal(r, 1.5f, shape), Tensor.randomNormal(r, 1f, c),
            Tensor.randomNormal(r, 1f, c), Tensor.randomNormal(r, 1f, c), var};
    }

    @Test
    void forwardMatchesNaiveReferenceInBothModes() {
        RandomCases.forAll("BatchNormalization forward = naive reference", 50, 10000, r -> {
            int[] shape = randomShape(r);
            Tensor[] in = randomInputs(r, shape);
            boolean training = r.nextBoolean();
            boolean unbiased = r.nextBoolean();
            float eps = r.nextBoolean() ? 1e-5f : 0.1f;
            float momentum = r.nextBoolean() ? 0.9f : (float) r.nextDouble();
            if (training && unbiased && Shapes.size(shape) / shape[1] < 2) {
                return; // rejected; see badInputsAreRejectedWithClearMessages
            }
            BatchNormalization bn = BatchNormalization.builder().epsilon(eps).momentum(momentum)
                    .unbiasedRunningVar(unbiased).build();
            Tensor[] expected = reference(in[0], in[1], in[2], in[3], in[4], eps, momentum, training, unbiased);
            for (Kernels k : BOTH) {
                Tensor[] y = OpHarness.runAll(bn, 3, k, training, in);
                String what = bn + (training ? " training " : " inference ") + k.name();
                assertClose(expected[0], y[0], 1e-5, 1e-6, what + " Y");
                assertClose(expected[1], y[1], 1e-5, 1e-6, what + " running_mean");
                assertClose(expected[2], y[2], 1e-5, 1e-6, what + " running_var");
            }
        });
    }

    @Test
    void gradientsMatchFiniteDifferencesInInferenceMode() {
        RandomCases.forAll("BatchNormalization inference VJP = finite differences", 10, 11000, r -> {
            Tensor[] in = randomInputs(r, randomShape(r));
            BatchNormalization bn = BatchNormalization.defaults();
            OpHarness.checkGradients(bn, OpHarness.gradCheck(), in);
            // The running outputs pass input_mean/input_var through unchanged.
            OpHarness.checkGradients(bn, OpHarness.gradCheck().outputs(3).seed(2), in);
        });
    }

    @Test
    void gradientsMatchFiniteDifferencesInTrainingMode() {
        RandomCases.forAll("BatchNormalization training VJP = finite differences", 12, 12000, r -> {
            Tensor[] in = randomInputs(r, randomShape(r));
            BatchNormalization bn = BatchNormalization.builder().momentum(r.nextBoolean() ? 0.9f : 0.6f)
                    .unbiasedRunningVar(r.nextBoolean()).build();
            for (Kernels k : BOTH) {
                OpHarness.checkGradients(bn, OpHarness.gradCheck().training(true).kernels(k), in);
            }
            // Through the running statistics too (they also depend on X, input_mean and input_var).
            OpHarness.checkGradients(bn, OpHarness.gradCheck().training(true).outputs(3).seed(3), in);
        });
    }

    /**
     * {@link BatchNormalization#withResidualRelu()} against a graph of its three parts: the same
     * output and the same gradients for all six inputs, bit for bit, in both modes (the parts'
     * own VJPs are checked against finite differences elsewhere; finite differences of the fused
     * node itself straddle the ReLU's kink where BN(X) + R is near zero).
     */
    @Test
    void residualReluFusionEqualsItsPartsBitForBit() {
        RandomCases.forAll("BatchNormalization + Add + Relu = its parts", 12, 12000, r -> {
            int[] shape = randomShape(r);
            if (shape[0] * Shapes.size(shape, 2, shape.length) < 2) {
                // one value per channel: training mode refuses it (unbiased running variance)
                shape[0] = 2;
            }
            Tensor[] in = randomInputs(r, shape);
            Tensor residual = Tensor.randomNormal(r, 1f, shape);
            Map<String, Tensor> feeds = new java.util.LinkedHashMap<>();
            List<String> names = List.of("x", "scale", "b", "mean", "var", "residual");
            for (int i = 0; i < 5; i++) {
                feeds.put(names.get(i), in[i]);
            }
            feeds.put("residual", residual);
            Graph.Builder parts = Graph.builder();
            Graph.Builder fused = Graph.builder();
            for (String name : names) {
                parts.input(name, feeds.get(name).shape());
                fused.input(name, feeds.get(name).shape());
            }
            parts.node("bn", BatchNormalization.defaults(), names.subList(0, 5), List.of("bnY"));
            parts.node("add", new Add(), List.of("bnY", "residual"), List.of("sum"));
            parts.node("relu", new Relu(), List.of("sum"), List.of("y"));
            parts.output("y");
            fused.node("bn", BatchNormalization.defaults().withResidualRelu(), names, List.of("y"));
            fused.output("y");
            Graph p = parts.build();
            Graph f = fused.build();
            Tensor seed = Tensor.randomNormal(r, 1f, shape);
            for (boolean training : new boolean[] {false, true}) {
                Trace tp = p.run().record().training(training).forward(feeds);
                Trace tf = f.run().record().training(training).forward(feeds);
                assertArrayEquals(tp.output("y").data(), tf.output("y").data(), "output, training " + training);
                Map<String, Tensor> gp = tp.gradients(Map.of("y", seed), names);
                Map<String, Tensor> gf = tf.gradients(Map.of("y", seed), names);
                for (String name : names) {
                    assertArrayEquals(gp.get(name).data(), gf.get(name).data(), name + ", training " + training);
                }
            }
        });
        Tensor[] in = randomInputs(new SplittableRandom(2), new int[] {2, 3, 4, 4});
        Tensor[] wrong = java.util.Arrays.copyOf(in, 6);
        wrong[5] = Tensor.zeros(2, 3, 4, 5);
        assertMessage(() -> OpHarness.runAll(BatchNormalization.defaults().withResidualRelu(), 1, OpHarness.JAVA, true,
                wrong), "residual input must have X's shape [2, 3, 4, 4]");
    }

    @Test
    void handComputedCases() {
        // C = 1, X = [1, 5]: inference with mean 1, var 3, eps 1 -> y = 3·(x − 1)/2 + 1.
        Tensor x = Tensor.of(new float[] {1, 5}, 2, 1);
        Tensor scale = Tensor.of(new float[] {3}, 1);
        Tensor b = Tensor.of(new float[] {1}, 1);
        Tensor mean = Tensor.of(new float[] {1}, 1);
        Tensor var = Tensor.of(new float[] {3}, 1);
        BatchNormalization bn = BatchNormalization.builder().epsilon(1).build();
        assertArrayEquals(new float[] {1, 7}, OpHarness.run(bn, x, scale, b, mean, var).data());
        // Training, eps 0: batch mean 3, biased var 4 (unbiased 8), x̂ = [−1, 1].
        BatchNormalization train = BatchNormalization.builder().epsilon(0).build();
        Tensor[] y = OpHarness.runAll(train, 3, OpHarness.JAVA, true, x, scale, b, mean, var);
        assertArrayEquals(new float[] {-2, 4}, y[0].data());
        assertArrayEquals(new float[] {0.9f * 1 + 0.1f * 3}, y[1].data(), 1e-6f);
        assertArrayEquals(new float[] {0.9f * 3 + 0.1f * 8}, y[2].data(), 1e-6f);
        Tensor[] biased = OpHarness.runAll(BatchNormalization.builder().epsilon(0).unbiasedRunningVar(false).build(), 3,
                OpHarness.JAVA, true, x, scale, b, mean, var);
        assertArrayEquals(new float[] {0.9f * 3 + 0.1f * 4}, biased[2].data(), 1e-6f);
        // Training-mode gradients for upstream [1, 0]: dB = 1, dscale = Σ g·x̂ = −1,
        // dx = scale·invstd/M·(M·g − Σg − x̂·Σ g·x̂) = 3·0.5/2·([2, 0] − 1 − [1, −1]) = [0, 0].
        Trace t = OpHarness.graph(train, 1, x, scale, b, mean, var).run().record().training(true)
                .forward(Map.of("in0", x, "in1", scale, "in2", b, "in3", mean, "in4", var));
        Map<String, Tensor> g = t.gradients(Map.of("out0", Tensor.of(new float[] {1, 0}, 2, 1)),
                List.of("in0", "in1", "in2", "in3", "in4"));
        assertArrayEquals(new float[] {0, 0}, g.get("in0").data(), 1e-6f);
        assertArrayEquals(new float[] {-1}, g.get("in1").data(), 1e-6f);
        assertArrayEquals(new float[] {1}, g.get("in2").data(), 1e-6f);
        assertArrayEquals(new float[] {0}, g.get("in3").data());
        assertArrayEquals(new float[] {0}, g.get("in4").data());
    }

    @Test
    void kernelsAgreeRetentionAndDescription() {
        SplittableRandom r = new SplittableRandom(29);
        Tensor[] in = randomInputs(r, new int[] {4, 16, 12, 12});
        OpHarness.assertKernelsAgree(BatchNormalization.defaults(), 3, in);
        BatchNormalization bn = BatchNormalization.builder().epsilon(1e-3f).momentum(0.8f).build();
        assertEquals("BatchNormalization", bn.type());
        assertEquals(OpCategory.BATCH_NORM, bn.category());
        assertTrue(bn.retainsInput(0));
        assertTrue(bn.retainsInput(1));
        assertFalse(bn.retainsInput(2), "B is not needed by the VJP");
        assertTrue(bn.retainsInput(3));
        assertTrue(bn.retainsInput(4));
        assertEquals(Map.of("epsilon", 1e-3f, "momentum", 0.8f), bn.attributes());
        assertEquals("BatchNormalization(epsilon=0.001, momentum=0.8)", bn.toString());
        assertEquals("BatchNormalization(epsilon=1.0E-5, momentum=0.9, running variance biased)",
                BatchNormalization.builder().unbiasedRunningVar(false).build().toString());
    }

    @Test
    void badInputsAreRejectedWithClearMessages() {
        Tensor c3 = Tensor.full(1f, 3);
        assertMessage(() -> OpHarness.run(BatchNormalization.defaults(), Tensor.zeros(2, 3, 4), c3, Tensor.zeros(2), c3, c3),
                "BatchNormalization B must have shape [3]");
        assertMessage(() -> OpHarness.run(BatchNormalization.defaults(), Tensor.zeros(3), c3, c3, c3, c3),
                "rank >= 2");
        assertMessage(() -> OpHarness.run(BatchNormalization.defaults(), Tensor.zeros(2, 3), c3, c3, c3),
                "takes 5 inputs");
        assertMessage(() -> OpHarness.runAll(BatchNormalization.defaults(), 1, OpHarness.JAVA, true,
                Tensor.zeros(1, 3, 1, 1), c3, c3, c3, c3), "more than one value per channel");
        assertMessage(() -> BatchNormalization.builder().epsilon(-1).build(), "epsilon must be a finite number >= 0");
        assertMessage(() -> BatchNormalization.builder().momentum(Float.NaN).build(), "momentum must be finite");
        // With the biased running variance one value per channel is fine (y = B).
        Tensor[] y = OpHarness.runAll(BatchNormalization.builder().unbiasedRunningVar(false).build(), 1, OpHarness.JAVA,
                true, Tensor.of(new float[] {5, 6, 7}, 1, 3), c3, Tensor.of(new float[] {1, 2, 3}, 3), c3, c3);
        assertArrayEquals(new float[] {1, 2, 3}, y[0].data());
    }
}
