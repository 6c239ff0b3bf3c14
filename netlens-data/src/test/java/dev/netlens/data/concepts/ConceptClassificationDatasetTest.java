package dev.netlens.data.concepts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.data.datasets.Dataset;
import dev.netlens.data.datasets.Example;
import dev.netlens.data.datasets.Transforms;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConceptClassificationDatasetTest {
    private static final SplittableRandom UNUSED = new SplittableRandom(0);

    @TempDir
    static Path shared;

    static Path dir;
    static ConceptSceneGenerator generator;

    @BeforeAll
    static void generate() {
        dir = shared.resolve("scenes");
        generator = ConceptSceneGenerator.builder().size(32).seed(2).valFraction(0.3).build();
        generator.generate(dir, 30);
    }

    @Test
    void objectTaskLabelsEachImageWithItsMainObject() {
        ConceptClassificationDataset train = ConceptClassificationDataset.open(dir, ConceptTask.OBJECT, "train");
        ConceptClassificationDataset val = ConceptClassificationDataset.open(dir, ConceptTask.OBJECT, "val");
        ConceptClassificationDataset all = ConceptClassificationDataset.open(dir, ConceptTask.OBJECT, null);
        assertEquals(30, all.size());
        assertEquals(30, train.size() + val.size());
        assertTrue(val.size() > 0);
        assertEquals(ConceptVocabulary.OBJECTS, train.classNames());
        assertArrayEquals(new int[] {3, 32, 32}, train.imageShape());
        for (int i = 0; i < val.size(); i++) {
            assertEquals("val", val.record(i).split());
        }
        for (int i = 0; i < all.size(); i++) {
            ConceptScene scene = generator.render(i);
            assertEquals(ConceptVocabulary.OBJECTS.indexOf(scene.mainObject().object()), all.label(i));
            Example e = all.get(i, UNUSED);
            assertEquals(all.label(i), e.label());
            assertEquals(3 * 32 * 32, e.image().length);
            for (int p = 0; p < 32 * 32; p++) {
                assertEquals(((scene.rgb()[p] >> 8) & 0xff) / 255f, e.image()[32 * 32 + p], 0f);
            }
        }
    }

    @Test
    void sceneTaskAndTransformsWork() {
        Dataset scenes = ConceptClassificationDataset.open(dir, ConceptTask.parse("Scene"), null)
                .transformed(Transforms.normalize(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}));
        assertEquals(ConceptVocabulary.SCENES, scenes.classNames());
        for (int i = 0; i < scenes.size(); i++) {
            assertEquals(ConceptVocabulary.SCENES.indexOf(generator.render(i).scene()), scenes.label(i));
            for (float v : scenes.get(i, UNUSED).image()) {
                assertTrue(v >= -1f && v <= 1f);
            }
        }
        Dataset small = ConceptClassificationDataset.open(dir, ConceptTask.OBJECT, "train")
                .transformed(Transforms.resize(16, 16));
        assertArrayEquals(new int[] {3, 16, 16}, small.imageShape());
        assertEquals(48 * 16, small.get(0, UNUSED).image().length);
    }

    @Test
    void errorsNameTheProblem(@TempDir Path tmp) throws IOException {
        Path broden = BrodenFixture.write(tmp.resolve("broden"), 224, 112);
        String m = assertThrows(IllegalArgumentException.class,
                () -> ConceptClassificationDataset.open(broden, ConceptTask.OBJECT, null)).getMessage();
        assertTrue(m.contains("objects.csv"), m);
        ConceptClassificationDataset scenes = ConceptClassificationDataset.open(broden, ConceptTask.SCENE, null);
        assertEquals(2, scenes.size());
        assertEquals(java.util.List.of("street", "kitchen"), scenes.classNames());
        assertEquals(1, scenes.label(1));
        m = assertThrows(IllegalArgumentException.class,
                () -> ConceptClassificationDataset.open(dir, ConceptTask.OBJECT, "test")).getMessage();
        assertTrue(m.contains("split 'test'"), m);
        m = assertThrows(IllegalArgumentException.class, () -> ConceptTask.parse("part")).getMessage();
        assertTrue(m.contains("object, scene"), m);
    }

    @Test
    void gridPictureIsWritten(@TempDir Path tmp) throws IOException {
        Path png = tmp.resolve("grid/sheet.png");
        ConceptGrid.write(dir, 6, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(4 * (2 * 224 + 6) + 5 * 12, img.getWidth());
        assertTrue(img.getHeight() > 2 * 224);
        Path broden = BrodenFixture.write(tmp.resolve("broden"), 227, 113);
        ConceptGrid.write(broden, 3, tmp.resolve("broden.png"));
        assertThrows(IllegalArgumentException.class, () -> ConceptGrid.write(dir, 31, tmp.resolve("x.png")));
    }
}
