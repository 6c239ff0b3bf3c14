package dev.netlens.explain.gradient;

import static dev.netlens.explain.gradient.TestModels.X;
import static dev.netlens.explain.gradient.TestModels.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.NeuronTarget;
import dev.netlens.explain.Target;
import org.junit.jupiter.api.Test;

/**
 * Every method on the 3-4-2 MLP of {@link TestModels#mlp}, against values worked out by hand. At
 * x = (1, 2, 3): pre-activations z = W1·x + b1 = (−1.5, 2, 2.5, 8), so h = ReLU(z) = (0, 2, 2.5, 8)
 * (ReLU6: (0, 2, 2.5, 6)); logits = (5.35, 2.8) (ReLU); class 0 has ∂y/∂h = W2[0] = (1, −2, 0.5, 1).
 */
class HandCheckedTest {
    private static final Tensor X1 = Tensor.of(X.clone(), 1, 3);
    private static final Target CLASS0 = Target.classes(0);
    private final ExplainedModel relu = TestModels.mlp(false);
    private final ExplainedModel relu6 = TestModels.mlp(true);

    @Test
    void forwardIsAsWorkedOut() {
        assertValues(new float[] {5.35f, 2.8f}, relu.forward(X1), 1e-5, "ReLU logits");
        // ReLU6 caps unit 3 at 6: logit0 = 0 − 4 + 1.25 + 6 + 0.1.
        assertValues(new float[] {3.35f, 3.8f}, relu6.forward(X1), 1e-5, "ReLU6 logits");
    }

    @Test
    void gradientSaliencyAndInputTimesGradient() {
        // Mask [z > 0] = (0, 1, 1, 1): g_z = (0, −2, 0.5, 1); g_x = W1ᵀ g_z.
        float[] grad = {0.5f, -2.75f, 3.5f};
        assertValues(grad, InputGradient.of(relu).explain(X1, CLASS0).map(), 1e-6, "gradient");
        assertValues(new float[] {0.5f, 2.75f, 3.5f}, Saliency.of(relu).explain(X1, CLASS0).map(), 1e-6, "saliency");
        assertValues(new float[] {0.5f, -5.5f, 10.5f}, InputXGradient.of(relu).explain(X1, CLASS0).map(), 1e-6,
                "input x gradient");
        // The predicted class is 0 here, and the explanation names it.
        Explanation e = InputGradient.of(relu).explain(X1);
        assertValues(grad, e.map(), 1e-6, "predicted-class gradient");
        assertEquals("class 0", e.target());
        // ReLU6's derivative is 0 above 6: mask (0, 1, 1, 0) → g_z = (0, −2, 0.5, 0).
        assertValues(new float[] {-1.5f, -3.75f, 2.5f}, InputGradient.of(relu6).explain(X1, CLASS0).map(), 1e-6,
                "ReLU6 gradient");
    }

    @Test
    void guidedBackpropUsesTheForwardMaskAndDeconvnetIgnoresIt() {
        // Guided: max(g_h, 0) ⊙ [z > 0] = (0, 0, 0.5, 1) → W1ᵀ· = (1.5, 1.25, 1.5).
        assertValues(new float[] {1.5f, 1.25f, 1.5f},
                GuidedBackprop.builder(relu).build().explain(X1, CLASS0).map(), 1e-6, "guided");
        // Deconvnet: max(g_h, 0) = (1, 0, 0.5, 1): unit 0 passes although it was off.
        assertValues(new float[] {2.5f, -0.75f, 2f}, Deconvnet.builder(relu).build().explain(X1, CLASS0).map(), 1e-6,
                "deconvnet");
        // Class 1: g_h = W2[1] = (−1, 1, 2, −0.5). Guided: (0, 1, 2, 0); deconvnet: (0, 1, 2, 0) too.
        float[] both = {0.5f * 1 - 1 * 2, 2 * 1 + 0.5f * 2, -1 * 1 + 1 * 2};
        assertValues(both, GuidedBackprop.builder(relu).build().explain(X1, Target.classes(1)).map(), 1e-6, "guided 1");
        assertValues(both, Deconvnet.builder(relu).build().explain(X1, Target.classes(1)).map(), 1e-6, "deconvnet 1");
    }

    @Test
    void relu6NodesAreInTheReluFamilyUnlessReluOnly() {
        // Guided at ReLU6: max(g_h, 0) ⊙ [0 < z < 6] = (0, 0, 0.5, 0) → (−0.5, 0.25, 0.5).
        assertValues(new float[] {-0.5f, 0.25f, 0.5f},
                GuidedBackprop.builder(relu6).build().explain(X1, CLASS0).map(), 1e-6, "guided ReLU6");
        // Deconvnet ignores the forward pass, so ReLU6 and ReLU agree: (2.5, −0.75, 2).
        assertValues(new float[] {2.5f, -0.75f, 2f}, Deconvnet.builder(relu6).build().explain(X1, CLASS0).map(), 1e-6,
                "deconvnet ReLU6");
        // reluOnly (Captum): the Clip node keeps its ordinary derivative, i.e. the plain gradient here.
        float[] plain = {-1.5f, -3.75f, 2.5f};
        assertValues(plain, GuidedBackprop.builder(relu6).reluOnly(true).build().explain(X1, CLASS0).map(), 1e-6,
                "guided reluOnly on ReLU6");
        assertValues(plain, Deconvnet.builder(relu6).reluOnly(true).build().explain(X1, CLASS0).map(), 1e-6,
                "deconvnet reluOnly on ReLU6");
        // On Relu nodes reluOnly changes nothing.
        assertValues(new float[] {1.5f, 1.25f, 1.5f},
                GuidedBackprop.builder(relu).reluOnly(true).build().explain(X1, CLASS0).map(), 1e-6, "guided reluOnly");
    }

    @Test
    void reluSixMaskIsOpenAtBothEnds() {
        // x = (1, 1, 2) → z = (0, 1, 1, 6): unit 0 sits exactly at 0 and unit 3 exactly at 6.
        Tensor x = Tensor.of(new float[] {1, 1, 2}, 1, 3);
        // Guided: max(W2[0], 0) = (1, 0, 0.5, 1) ⊙ [0 < z < 6] = (0, 1, 1, 0) → 0.5·W1[2] = (−0.5, 0.25, 0.5).
        assertValues(new float[] {-0.5f, 0.25f, 0.5f}, GuidedBackprop.builder(relu6).build().explain(x, CLASS0).map(),
                1e-6, "guided at z = 0 and z = 6");
        // Clip's own derivative includes both bounds: [0 ≤ z ≤ 6] = (1, 1, 1, 1) → W1ᵀ W2[0].
        assertValues(new float[] {1.5f, -4.75f, 4}, InputGradient.of(relu6).explain(x, CLASS0).map(), 1e-6,
                "Clip derivative at the bounds");
        // x = (2, 1, 1) → z = (0.5, 2.5, −1, 7): mask (1, 1, 0, 0), positive part (1, 0, 0.5, 1) → W1[0].
        Tensor above = Tensor.of(new float[] {2, 1, 1}, 1, 3);
        assertValues(new float[] {1, -2, 0.5f}, GuidedBackprop.builder(relu6).build().explain(above, CLASS0).map(),
                1e-6, "guided above 6");
    }

    @Test
    void layerGradientTimesActivation() {
        // h ⊙ W2[0] = (0, 2, 2.5, 8) ⊙ (1, −2, 0.5, 1).
        Explanation e = LayerGradientXActivation.builder(relu, "h").build().explain(X1, CLASS0);
        assertValues(new float[] {0, -4, 1.25f, 8}, e.map(), 1e-6, "layer gradient x activation");
        assertValues(new float[] {1, -2, 0.5f, 1},
                LayerGradientXActivation.builder(relu, "h").multiplyByActivation(false).build().explain(X1, CLASS0)
                        .map(), 1e-6, "layer gradient");
        // At the input layer it is input x gradient.
        assertValues(new float[] {0.5f, -5.5f, 10.5f},
                LayerGradientXActivation.builder(relu, "x").build().explain(X1, CLASS0).map(), 1e-6, "at the input");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> LayerGradientXActivation.builder(relu, "hidden").build());
        assertTrue(bad.getMessage().contains("hidden"), bad.getMessage());
    }

    @Test
    void neuronTargetsExplainOneUnit() {
        // ∂h_2/∂x = [z_2 > 0] W1[2] = (−1, 0.5, 1); unit 0 is off: zero gradient.
        assertValues(new float[] {-1, 0.5f, 1}, InputGradient.of(relu).explain(X1, NeuronTarget.unit("h", 2)).map(),
                1e-6, "unit 2");
        assertValues(new float[] {0, 0, 0}, InputGradient.of(relu).explain(X1, NeuronTarget.unit("h", 0)).map(), 0,
                "unit 0");
        // A "channel" of a [N, K] value is one unit.
        assertValues(new float[] {0.5f, 2, -1}, InputGradient.of(relu).explain(X1, NeuronTarget.channel("h", 1)).map(),
                1e-6, "channel 1");
        // Deconvnet passes the unit's positive seed through ReLU regardless: ∂/∂x of z_0 = W1[0].
        assertValues(new float[] {1, -2, 0.5f}, Deconvnet.builder(relu).build().explain(X1, NeuronTarget.unit("h", 0))
                .map(), 1e-6, "deconvnet unit 0");
        // Integrated gradients of h_2 from 0: z_2(α) = 3α − 0.5 is active for α > 1/6, so
        // IG = x ⊙ W1[2] · 5/6 and Σ IG = h_2(x) − h_2(0) = 2.5.
        Explanation ig = IntegratedGradients.builder(relu).steps(600).method(Quadrature.Method.RIEMANN_MIDDLE).build()
                .explain(X1, NeuronTarget.unit("h", 2));
        assertValues(new float[] {-5f / 6, 5f / 6, 2.5f}, ig.map(), 2e-3, "IG of unit 2");
        assertEquals(0, ig.extras().get("convergence_delta").data()[0], 1e-2);
        assertEquals("unit [2] of h", ig.target());
        // Layer gradient x activation at fc1 for unit h_1: z ⊙ e_1.
        assertValues(new float[] {0, 2, 0, 0},
                LayerGradientXActivation.builder(relu, "fc1").build().explain(X1, NeuronTarget.unit("h", 1)).map(),
                1e-6, "layer method on a unit");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> InputGradient.of(relu).explain(X1, NeuronTarget.unit("h", 4)));
        assertTrue(bad.getMessage().contains("outside"), bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class,
                () -> InputGradient.of(relu).explain(X1, NeuronTarget.at("h", 1, 0, 0)));
        assertTrue(bad.getMessage().contains("coordinates"), bad.getMessage());
    }

    @Test
    void integratedGradientsConvergeToTheHandIntegral() {
        // Along α·x: z(α) = α(−1.5, 1.5, 3, 7) + b1; unit 0 never on, units 1 and 3 always on, unit 2 on for
        // α > 1/6. IG_i = x_i Σ_j W2[0, j] W1[j, i] · frac_j with frac = (0, 1, 5/6, 1); Σ IG = 5.25.
        double[] frac = {0, 1, 5.0 / 6, 1};
        float[] exact = new float[3];
        for (int i = 0; i < 3; i++) {
            double s = 0;
            for (int j = 0; j < 4; j++) {
                s += TestModels.W2[j] * TestModels.W1[j * 3 + i] * frac[j];
            }
            exact[i] = (float) (X[i] * s);
        }
        assertEquals(5.25, exact[0] + exact[1] + exact[2], 1e-5);
        Tensor exactT = Tensor.of(exact, 1, 3);
        for (Quadrature.Method m : Quadrature.Method.values()) {
            double coarse = TestModels.maxAbsDiff(exactT, ig(m, 7).map());
            double fine = TestModels.maxAbsDiff(exactT, ig(m, 700).map());
            assertTrue(fine < 1.5e-2 && fine <= coarse, m + ": error " + coarse + " at 7 steps, " + fine + " at 700");
        }
        Explanation gl = ig(Quadrature.Method.GAUSS_LEGENDRE, 50);
        assertValues(exact, gl.map(), 0.1, "Gauss–Legendre 50");
        double delta = gl.extras().get("convergence_delta").data()[0];
        assertEquals(TestModels.sum(gl.map()) - (5.35 - 0.1), delta, 1e-5, "reported delta");
    }

    private Explanation ig(Quadrature.Method m, int steps) {
        return IntegratedGradients.builder(relu).steps(steps).method(m).build().explain(X1, CLASS0);
    }

    @Test
    void layerIntegratedGradientsAtALayerFollowedByALinearMap() {
        // y is linear in h: LIG = (h(x) − h(0)) ⊙ W2[0] = (0, 1.5, 2.5, 7) ⊙ (1, −2, 0.5, 1), exact for any rule.
        for (Quadrature.Method m : Quadrature.Method.values()) {
            Explanation e = LayerIntegratedGradients.builder(relu, "h").steps(3).method(m).build().explain(X1, CLASS0);
            float scale = m == Quadrature.Method.RIEMANN_TRAPEZOID ? 2f / 3 : 1f;    // Captum's trapezoid weights
            assertValues(new float[] {0, -3 * scale, 1.25f * scale, 7 * scale}, e.map(), 1e-5, "LIG " + m);
        }
        Explanation e = LayerIntegratedGradients.builder(relu, "h").build().explain(X1, CLASS0);
        assertEquals(0, e.extras().get("convergence_delta").data()[0], 1e-5);
    }
}
