package dev.netlens.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.Flatten;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.datasets.Dataset;
import dev.netlens.data.datasets.Example;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A network whose class k score is unit k of layer "units": ablating/inserting unit 0 has a known effect. */
class UnitInterventionTest {
    private static Graph net() {
        return Graph.builder()
                .input("input", -1, 2, 1, 1)
                .parameter("w", Tensor.of(new float[] {1, 0, 0, 1}, 2, 2, 1, 1))
                .node("units", Conv.of(1, 0), List.of("input", "w"), List.of("units"))
                .node("logits", new Flatten(1), List.of("units"), List.of("logits"))
                .output("logits")
                .build();
    }

    /** Class 0: (2, 1); class 1: (1, 2); three of each. */
    private static Dataset data() {
        return new Dataset() {
            @Override
            public int size() {
                return 6;
            }

            @Override
            public List<String> classNames() {
                return List.of("zero", "one");
            }

            @Override
            public int[] imageShape() {
                return new int[] {2, 1, 1};
            }

            @Override
            public int label(int index) {
                return index % 2;
            }

            @Override
            public Example get(int index, SplittableRandom random) {
                return new Example(index % 2 == 0 ? new float[] {2, 1} : new float[] {1, 2}, index % 2);
            }
        };
    }

    @Test
    void ablationAndInsertionChangeScoresAndAccuracyAsWired() {
        InterventionReport ablate = UnitIntervention.ablate(net(), "units", 0).evaluate(data(), 4);
        InterventionReport.ClassChange zero = ablate.classes().get(0);
        InterventionReport.ClassChange one = ablate.classes().get(1);
        assertEquals(3, zero.examples());
        assertEquals(2.0, zero.scoreBefore(), 1e-6);
        assertEquals(-2.0, zero.scoreChange(), 1e-6);
        assertEquals(-1.0, zero.accuracyChange(), 1e-12);
        assertEquals(0.0, one.scoreChange(), 1e-6);
        assertEquals(1.0, one.accuracyAfter(), 1e-12);
        assertEquals(1.0, ablate.accuracyBefore(), 1e-12);
        assertEquals(0.5, ablate.accuracyAfter(), 1e-12);

        InterventionReport insert = UnitIntervention.insert(net(), "units", 5f, 0).evaluate(data(), 4);
        assertEquals(3.0, insert.classes().get(0).scoreChange(), 1e-6);
        assertEquals(0.0, insert.classes().get(1).accuracyAfter(), 1e-12);

        assertThrows(IllegalArgumentException.class, () -> UnitIntervention.ablate(net(), "units", 7).evaluate(data(), 4));
    }
}
