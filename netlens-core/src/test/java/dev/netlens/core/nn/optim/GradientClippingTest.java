package dev.netlens.core.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** clip_grad_norm_ / clip_grad_value_ against PyTorch goldens, by hand, and edge cases. */
class GradientClippingTest {
    @ParameterizedTest
    @ValueSource(strings = {"clip.norm_small", "clip.norm_large"})
    void normClippingMatchesPyTorch(String c) {
        Map<String, Tensor> grads = GoldenProblem.gradients(0);
        double norm = GradientClipping.clipNorm(grads, GoldenProblem.GOLDENS.scalar(c + ".max_norm"));
        double want = GoldenProblem.GOLDENS.scalar(c + ".total");
        assertEquals(want, norm, 1e-6 * want);
        double maxDeviation = 0;
        for (String n : grads.keySet()) {
            float[] expected = GoldenProblem.GOLDENS.tensor(c + "." + n).data();
            float[] got = grads.get(n).data();
            for (int i = 0; i < expected.length; i++) {
                double d = Math.abs((double) expected[i] - got[i]);
                maxDeviation = Math.max(maxDeviation, d);
                assertTrue(d <= 1e-6, c + " " + n + "[" + i + "]: PyTorch " + expected[i] + ", netlens " + got[i]);
            }
        }
        System.out.printf("%s: |norm - PyTorch| = %.3g, max gradient deviation %.3g%n", c, Math.abs(norm - want),
                maxDeviation);
    }

    @Test
    void valueClippingMatchesPyTorch() {
        Map<String, Tensor> grads = GoldenProblem.gradients(1);
        GradientClipping.clipValue(grads, 0.5);
        for (String n : grads.keySet()) {
            assertArrayEquals(GoldenProblem.GOLDENS.tensor("clip.value." + n).data(), grads.get(n).data(), 0f, n);
        }
    }

    @Test
    void byHandAndEdgeCases() {
        Map<String, Tensor> g = Map.of("a", Tensor.of(new float[] {3, 0}, 2), "b", Tensor.of(new float[] {4}, 1));
        assertEquals(5, GradientClipping.clipNorm(g, 1), 0);
        assertEquals(0.6f, g.get("a").data()[0], 1e-6f);
        assertEquals(0.8f, g.get("b").data()[0], 1e-6f);

        Map<String, Tensor> small = Map.of("a", Tensor.of(new float[] {0.3f, -0.4f}, 2));
        assertEquals(0.5, GradientClipping.clipNorm(small, 1), 1e-7);
        assertArrayEquals(new float[] {0.3f, -0.4f}, small.get("a").data(), 0f);   // untouched below the limit

        Map<String, Tensor> nan = Map.of("a", Tensor.of(new float[] {Float.NaN, 2}, 2));
        assertTrue(Double.isNaN(GradientClipping.clipNorm(nan, 1)));
        assertEquals(2f, nan.get("a").data()[1]);                                   // left for the caller to skip

        Map<String, Tensor> v = Map.of("a", Tensor.of(new float[] {-3, 0.1f, Float.NaN, 7}, 4));
        GradientClipping.clipValue(v, 1);
        assertArrayEquals(new float[] {-1, 0.1f, Float.NaN, 1}, v.get("a").data(), 0f);

        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipNorm(g, 0));
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipValue(g, Double.NaN));
    }
}
