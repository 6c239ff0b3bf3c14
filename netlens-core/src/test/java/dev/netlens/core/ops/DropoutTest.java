package dev.netlens.core.ops;

import static dev.netlens.core.ops.OpHarness.assertBitIdentical;
import static dev.netlens.core.ops.ShapeOpTesting.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DropoutTest {

    @Test
    void inferenceIsTheIdentityWithAMaskOfOnes() {
        Tensor x = Tensor.randomNormal(new SplittableRandom(1), 1f, 3, 4);
        Tensor[] out = OpHarness.runAll(new Dropout(0.3f, true), 2, OpHarness.JAVA, false, x);
        assertBitIdentical(x, out[0], "output");
        assertBitIdentical(Tensor.full(1f, 3, 4), out[1], "mask");
        assertBitIdentical(x, OpHarness.run(new Dropout(), x), "single output");
        Tensor seed = Tensor.randomNormal(new SplittableRandom(2), 1f, 3, 4);
        assertBitIdentical(seed, ShapeOpTesting.vjp(new Dropout(), seed, x), "inference gradient");
    }

    @Test
    void trainingKeepsAFractionAndRescales() {
        RandomCases.forAll("dropout mask statistics", 20, 900, r -> {
            float ratio = (float) (r.nextDouble() * 0.9);
            Tensor x = Tensor.randomUniform(r, 0.5f, 2f, 50, 200);
            Tensor[] out = OpHarness.runAll(new Dropout(ratio, true), 2, OpHarness.JAVA, true, x);
            Tensor y = out[0];
            Tensor mask = out[1];
            float scale = (float) (1.0 / (1.0 - ratio));
            int kept = 0;
            for (int i = 0; i < x.size(); i++) {
                float m = mask.data()[i];
                assertTrue(m == 0f || m == 1f, "mask is 0/1");
                kept += (int) m;
                assertEquals(m == 1f ? x.data()[i] * scale : 0f, y.data()[i], "element " + i);
            }
            double p = 1 - ratio;
            double n = x.size();
            double sd = Math.sqrt(n * p * (1 - p));
            assertTrue(Math.abs(kept - n * p) < 5 * sd + 1, () -> "kept fraction far from 1 - ratio " + ratio);
        });
    }

    @Test
    void trainingIsDeterministicPerSeedAndItsVjpUsesTheSavedMask() {
        SplittableRandom r = new SplittableRandom(3);
        Tensor x = Tensor.randomNormal(r, 1f, 4, 6);
        Dropout op = new Dropout(0.4f, true);
        Tensor seed = Tensor.randomNormal(r, 1f, 4, 6);
        Tensor g = ShapeOpTesting.vjp(op, 2, true, new Tensor[] {seed, null}, x)[0];
        // Same seed (vjp runs with seed 7): recompute the mask and compare.
        Tensor[] out = OpHarness.graph(op, 2, x).run().training(true).seed(7).kernels(OpHarness.JAVA)
                .forward(java.util.Map.of("in0", x)).outputs().values().toArray(new Tensor[0]);
        float scale = (float) (1.0 / 0.6);
        for (int i = 0; i < x.size(); i++) {
            assertEquals(seed.data()[i] * out[1].data()[i] * scale, g.data()[i], 0f, "gradient element " + i);
        }
        Tensor other = OpHarness.graph(op, 2, x).run().training(true).seed(8).kernels(OpHarness.JAVA)
                .forward(java.util.Map.of("in0", x)).output("out1");
        assertNotEquals(java.util.Arrays.toString(out[1].data()), java.util.Arrays.toString(other.data()),
                "another seed draws another mask");
        OpHarness.checkGradients(op, OpHarness.gradCheck().training(true).outputs(1).eps(0.5f).tolerance(1e-5, 1e-4)
                .maxElements(100), x);
        OpHarness.checkGradients(new Dropout(0.5f), OpHarness.gradCheck().training(true).eps(0.5f)
                .tolerance(1e-5, 1e-4), x);
    }

    @Test
    void ratioZeroKeepsEverythingInTraining() {
        Tensor x = Tensor.randomNormal(new SplittableRandom(4), 1f, 10, 10);
        Tensor[] out = OpHarness.runAll(new Dropout(0f, true), 2, OpHarness.JAVA, true, x);
        assertBitIdentical(x, out[0], "output");
        assertBitIdentical(Tensor.full(1f, 10, 10), out[1], "mask");
    }

    @Test
    void attributesAndValidation() {
        assertEquals(0.5f, new Dropout().ratio());
        assertEquals(OpCategory.IDENTITY, new Dropout().category());
        assertFalse(new Dropout().retainsInput(0));
        assertEquals("Dropout{ratio=0.25}", new Dropout(0.25f).toString());
        assertEquals(2, new Dropout(0.25f, true).outputCount());
        assertEquals(new Dropout(0.25f), new Dropout(0.25f));
        assertNotEquals(new Dropout(0.25f), new Dropout(0.25f, true));
        assertArrayEquals(new Object[] {"ratio"}, new Dropout().attributes().keySet().toArray());
        assertInvalid(() -> new Dropout(1f), "Dropout", "ratio 1.0", "0 <= ratio < 1");
        assertInvalid(() -> new Dropout(-0.1f), "Dropout", "ratio");
        assertInvalid(() -> new Dropout(Float.NaN), "Dropout", "ratio");
    }
}
