package dev.netlens.explain.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.data.concepts.ConceptScene;
import dev.netlens.data.concepts.ConceptSceneGenerator;
import dev.netlens.data.concepts.ConceptVocabulary;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationSampleTest {
    @Test
    void conceptScenesCarryTheMainObjectsMaskAndClass(@TempDir Path dir) {
        ConceptSceneGenerator gen = ConceptSceneGenerator.builder().size(48).seed(5).threads(1).build();
        gen.generate(dir, 3);
        List<String> classes = List.of("circle", "square", "triangle", "star", "ring", "cross", "house", "car", "face",
                "tree", "flower", "person");
        List<EvaluationSample> s = EvaluationSample.conceptScenes(dir, null, 5, 48, 48, classes);
        assertEquals(3, s.size());
        for (int i = 0; i < 3; i++) {
            ConceptScene scene = gen.render(i);
            String object = scene.mainObject().object();
            int number = ConceptVocabulary.number("object", object);
            boolean[] expected = new boolean[48 * 48];
            for (int p = 0; p < expected.length; p++) {
                expected[p] = scene.object()[p] == number;
            }
            assertArrayEquals(expected, s.get(i).mask().inside());
            assertTrue(s.get(i).mask().area() > 0);
            assertEquals(classes.indexOf(object), s.get(i).label());
            int rgb = scene.rgb()[48 * 10 + 20];
            assertEquals(((rgb >> 16) & 255) / 255f, s.get(i).image().get(0, 10, 20), 1e-6);
        }
        assertThrows(IllegalArgumentException.class,
                () -> EvaluationSample.conceptScenes(dir, null, 5, 48, 48, List.of("circle")));
    }

    @Test
    void masksAreResizedByNearestNeighbour() {
        boolean[] m = {true, false, false, true};
        assertArrayEquals(new boolean[] {true, true, false, false, true, true, false, false, false, false, true, true,
            false, false, true, true}, EvaluationSample.nearest(m, 2, 2, 4, 4));
    }
}
