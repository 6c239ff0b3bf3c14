package dev.netlens.core.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.nn.NnGoldens;
import dev.netlens.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loss values and gradients on hand-computed cases, against PyTorch goldens, and argument validation. */
class LossValuesTest {
    private static final double LN2 = Math.log(2);

    @Test
    void crossEntropyByHand() {
        LossValue l = CrossEntropyLoss.create().evaluate(Tensor.of(new float[] {1, 1, 1, 1}, 1, 4),
                Tensor.of(new float[] {2}, 1));
        assertEquals(Math.log(4), l.value(), 1e-15);
        assertArrayEquals(new float[] {0.25f, 0.25f, -0.75f, 0.25f}, l.gradient().data(), 1e-7f);

        // two rows, mean over the batch: row 0 is ln 2 with gradient (-1/2, 1/2)/2, row 1 is ln(1 + e^-2)
        l = CrossEntropyLoss.create().evaluate(Tensor.of(new float[] {0, 0, 2, 0}, 2, 2), Tensor.of(new float[] {0, 0}, 2));
        double p = 1 / (1 + Math.exp(-2));
        assertEquals((LN2 + Math.log1p(Math.exp(-2))) / 2, l.value(), 1e-15);
        assertArrayEquals(new float[] {-0.25f, 0.25f, (float) ((p - 1) / 2), (float) ((1 - p) / 2)},
                l.gradient().data(), 1e-7f);
    }

    @Test
    void labelSmoothingByHand() {
        // eps = 0.2, C = 2: target (0.9, 0.1); equal logits give ln 2 and gradient softmax - target
        LossValue l = CrossEntropyLoss.withLabelSmoothing(0.2).evaluate(Tensor.of(new float[] {0, 0}, 1, 2),
                Tensor.of(new float[] {0}, 1));
        assertEquals(LN2, l.value(), 1e-15);
        assertArrayEquals(new float[] {-0.4f, 0.4f}, l.gradient().data(), 1e-7f);
        // the same through probability targets
        LossValue viaProbs = CrossEntropyLoss.withLabelSmoothing(0.2).evaluate(Tensor.of(new float[] {3, -1}, 1, 2),
                Tensor.of(new float[] {1, 0}, 1, 2));
        LossValue viaIndex = CrossEntropyLoss.withLabelSmoothing(0.2).evaluate(Tensor.of(new float[] {3, -1}, 1, 2),
                Tensor.of(new float[] {0}, 1));
        assertEquals(viaIndex.value(), viaProbs.value(), 1e-15);
        assertArrayEquals(viaIndex.gradient().data(), viaProbs.gradient().data(), 1e-7f);
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        LossValue l = CrossEntropyLoss.create().evaluate(Tensor.of(new float[] {1000, 0, -1000, 1e30f}, 2, 2),
                Tensor.of(new float[] {1, 1}, 2));
        assertEquals(500, l.value(), 1e-9);
        assertArrayEquals(new float[] {0.5f, -0.5f, 0, 0}, l.gradient().data(), 0f);
    }

    @Test
    void binaryCrossEntropyByHand() {
        LossValue l = BinaryCrossEntropyWithLogitsLoss.create().evaluate(Tensor.of(new float[] {0, 0}, 2),
                Tensor.of(new float[] {1, 0}, 2));
        assertEquals(LN2, l.value(), 1e-15);
        assertArrayEquals(new float[] {-0.25f, 0.25f}, l.gradient().data(), 1e-7f);

        // huge logits neither overflow nor underflow into NaN
        l = BinaryCrossEntropyWithLogitsLoss.create().evaluate(Tensor.of(new float[] {100, -100, 1e30f, -1e30f}, 4),
                Tensor.of(new float[] {0, 0, 1, 0}, 4));
        assertEquals((100 + Math.log1p(Math.exp(-100)) + Math.log1p(Math.exp(-100))) / 4, l.value(), 1e-12);
        assertArrayEquals(new float[] {0.25f, 0, 0, 0}, l.gradient().data(), 1e-7f);

        // pos_weight 3 on the positive class of x = 0, t = 1: 3 ln 2, gradient -3/2
        l = BinaryCrossEntropyWithLogitsLoss.withPosWeight(Tensor.of(new float[] {3, 1}, 2))
                .evaluate(Tensor.of(new float[] {0, 0}, 1, 2), Tensor.of(new float[] {1, 0}, 1, 2));
        assertEquals((3 * LN2 + LN2) / 2, l.value(), 1e-15);
        assertArrayEquals(new float[] {-0.75f, 0.25f}, l.gradient().data(), 1e-7f);
    }

    @Test
    void meanSquaredErrorByHand() {
        LossValue l = MseLoss.create().evaluate(Tensor.of(new float[] {1, 2}, 2), Tensor.of(new float[] {0, 4}, 2));
        assertEquals(2.5, l.value(), 0);
        assertArrayEquals(new float[] {1, -2}, l.gradient().data(), 0f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ce_index", "ce_index_smooth", "ce_probs", "ce_probs_smooth", "ce_large", "bce",
                            "bce_pos_weight", "mse"})
    void agreesWithPyTorch(String name) {
        NnGoldens g = NnGoldens.load();
        String p = "loss." + name + ".";
        Loss loss = switch (name) {
            case "ce_index", "ce_probs", "ce_large" -> CrossEntropyLoss.create();
            case "ce_index_smooth" -> CrossEntropyLoss.withLabelSmoothing(0.2);
            case "ce_probs_smooth" -> CrossEntropyLoss.withLabelSmoothing(0.1);
            case "bce" -> BinaryCrossEntropyWithLogitsLoss.create();
            case "bce_pos_weight" -> BinaryCrossEntropyWithLogitsLoss.withPosWeight(g.tensor(p + "pos_weight"));
            default -> MseLoss.create();
        };
        LossValue l = loss.evaluate(g.tensor(p + "x"), g.tensor(p + "t"));
        double expected = g.scalar(p + "value");
        assertEquals(expected, l.value(), 1e-6 * Math.max(1, Math.abs(expected)));
        float[] want = g.tensor(p + "grad").data();
        float[] got = l.gradient().data();
        double maxDeviation = 0;
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-7 + 1e-6 * Math.abs(want[i]), name + " gradient[" + i + "]");
            maxDeviation = Math.max(maxDeviation, Math.abs((double) want[i] - got[i]));
        }
        System.out.printf("loss %s: |value - PyTorch| = %.3g (relative %.3g), max gradient deviation %.3g%n", name,
                Math.abs(l.value() - expected), Math.abs(l.value() - expected) / Math.abs(expected), maxDeviation);
    }

    @Test
    void rejectsBadTargetsWithHelpfulMessages() {
        Tensor logits = Tensor.zeros(2, 4);
        CrossEntropyLoss ce = CrossEntropyLoss.create();
        String m = assertThrows(IllegalArgumentException.class,
                () -> ce.evaluate(logits, Tensor.of(new float[] {1, 4}, 2))).getMessage();
        assertTrue(m.contains("class index 4") && m.contains("[0, 4)"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> ce.evaluate(logits, Tensor.of(new float[] {-1, 0}, 2))).getMessage();
        assertTrue(m.contains("class index -1"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> ce.evaluate(logits, Tensor.of(new float[] {1.5f, 0}, 2))).getMessage();
        assertTrue(m.contains("integers") && m.contains("1.5"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> ce.evaluate(logits, Tensor.of(new float[] {Float.NaN, 0}, 2))).getMessage();
        assertTrue(m.contains("NaN"), m);
        m = assertThrows(IllegalArgumentException.class, () -> ce.evaluate(logits, Tensor.zeros(2, 3))).getMessage();
        assertTrue(m.contains("[2, 4]") && m.contains("[2, 3]"), m);
        m = assertThrows(IllegalArgumentException.class, () -> ce.evaluate(Tensor.zeros(4), Tensor.zeros(1))).getMessage();
        assertTrue(m.contains("[N, C]"), m);
        assertThrows(IllegalArgumentException.class, () -> CrossEntropyLoss.withLabelSmoothing(1.5));
        assertThrows(IllegalArgumentException.class, () -> CrossEntropyLoss.withLabelSmoothing(Double.NaN));

        m = assertThrows(IllegalArgumentException.class,
                () -> BinaryCrossEntropyWithLogitsLoss.create().evaluate(logits, Tensor.zeros(4, 2))).getMessage();
        assertTrue(m.contains("[2, 4]") && m.contains("[4, 2]"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> BinaryCrossEntropyWithLogitsLoss.withPosWeight(Tensor.ones(3)).evaluate(logits, Tensor.zeros(2, 4)))
                .getMessage();
        assertTrue(m.contains("3 entries") && m.contains("4"), m);
        assertThrows(IllegalArgumentException.class,
                () -> BinaryCrossEntropyWithLogitsLoss.withPosWeight(Tensor.of(new float[] {-1}, 1)));
        assertThrows(IllegalArgumentException.class, () -> MseLoss.create().evaluate(Tensor.zeros(0), Tensor.zeros(0)));
        assertThrows(IllegalArgumentException.class, () -> MseLoss.create().evaluate(Tensor.zeros(3), Tensor.zeros(1, 3)));
    }
}
