package dev.netlens.data.concepts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrodenDatasetTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "broden1_{0}: images {0}, segmentations {1}")
    @CsvSource({"224, 112", "227, 113"})
    void readsTheBroden1Layout(int imageSize, int segSize) throws IOException {
        BrodenDataset data = BrodenDataset.open(BrodenFixture.write(tmp.resolve("broden"), imageSize, segSize));
        assertEquals(3, data.size());
        assertEquals(List.of("color", "object", "part", "material", "scene", "texture"),
                data.categories().stream().map(ConceptCategory::name).toList());
        ConceptCategory part = data.category("part");
        assertEquals(List.of(7, 300, 5), part.codes().stream().map(CategoryCode::number).toList());
        ConceptLabel person = data.label(4);
        assertEquals("person", person.name());
        assertEquals(List.of("individual", "someone", "somebody"), person.synonyms());
        assertEquals(Map.of("object", 2, "part", 1), data.label("wall").categoryFrequencies());
        assertEquals(0.4375, data.label(300).coverage());

        BrodenRecord first = data.record(0);
        assertEquals("ade20k/ADE_train_1.jpg", first.image());
        assertEquals(List.of(imageSize, imageSize, segSize, segSize), List.of(first.ih(), first.iw(), first.sh(),
                first.sw()));
        assertEquals(List.of("ade20k/ADE_train_1_part_1.png", "ade20k/ADE_train_1_part_2.png"),
                first.segmentationFiles("part"));
        assertEquals(List.of(10), first.imageLabels("scene"));
        assertTrue(first.segmentationFiles("material").isEmpty());
        assertEquals(List.of(12, 13), data.record(1).imageLabels("texture"));
        assertEquals(List.of(11, 10), data.record(2).imageLabels("scene"));

        ConceptSegmentation seg = data.segmentation(0);
        assertEquals(segSize, seg.height());
        assertEquals(2, seg.planes("part").size());
        int q = segSize / 4;
        assertEquals(BrodenFixture.WINDOW, seg.planes("part").get(0)[0]);
        boolean[] window = seg.mask("part", BrodenFixture.WINDOW);
        int windowPixels = 0;
        for (int y = 0; y < segSize; y++) {
            for (int x = 0; x < segSize; x++) {
                assertEquals(x < q || y < q, window[y * segSize + x]);
                windowPixels += window[y * segSize + x] ? 1 : 0;
            }
        }
        assertEquals(windowPixels, seg.pixelCounts("part").get(BrodenFixture.WINDOW));
        assertEquals(q * segSize, seg.pixelCounts("part").get(7));
        boolean[] street = seg.mask("scene", 10);
        for (boolean b : street) {
            assertTrue(b);
        }
        assertFalse(seg.mask("object", 4)[0]);
        assertEquals(3, data.image(0).channels());
        assertEquals(imageSize, data.image(0).height());

        ConceptStatistics stats = data.computeStatistics();
        assertEquals(3, stats.images());
        assertEquals(2, stats.frequency("scene", 10));
        assertEquals(2.0, stats.coverage("scene", 10));
        assertEquals(1, stats.frequency("texture", 13));
        assertEquals(2, stats.frequency("object", BrodenFixture.WALL));
        assertEquals(1, stats.frequency("part", BrodenFixture.WALL));
        assertEquals(2, stats.label(BrodenFixture.WALL).frequency());
        // In the pascal image wall covers everything as an object (and a quarter as a part): once.
        double ade = (segSize - 1) * (segSize - segSize / 2) / (double) (segSize * segSize);
        assertEquals(ade + 1.0, stats.label(BrodenFixture.WALL).coverage(), 1e-12);
        assertEquals((double) windowPixels / (segSize * segSize), stats.coverage("part", BrodenFixture.WINDOW), 1e-12);
        assertEquals(0, stats.label(6).frequency());
    }

    @Test
    void streamsSamplesAndBatchesBySplit() throws IOException {
        BrodenDataset data = BrodenDataset.open(BrodenFixture.write(tmp.resolve("broden"), 224, 112));
        assertArrayEquals(new int[] {1}, data.indices("val"));
        assertArrayEquals(new int[] {0, 2}, data.indices("train"));
        List<String> images = new ArrayList<>();
        for (BrodenDataset.Sample s : data.samples("train")) {
            images.add(s.record().image());
            assertEquals(112, s.segmentation().width());
        }
        assertEquals(List.of("ade20k/ADE_train_1.jpg", "pascal/2008_000001.jpg"), images);
        Iterator<List<BrodenDataset.Sample>> batches = data.batches(null, 2);
        assertEquals(2, batches.next().size());
        assertEquals(1, batches.next().size());
        assertFalse(batches.hasNext());
        data.validate();
    }

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message should mention '" + p + "': " + message);
        }
    }

    @Test
    void missingIndexColumnIsNamed() throws IOException {
        Path dir = BrodenFixture.write(tmp.resolve("b"), 224, 112);
        Path index = dir.resolve("index.csv");
        Files.writeString(index, Files.readString(index).replaceFirst("sh,sw,", "sh,width,"));
        assertMentions(message(() -> BrodenDataset.open(dir)), "index.csv", "line 1", "missing column sw");
    }

    @Test
    void missingCategoryColumnIsNamed() throws IOException {
        Path dir = BrodenFixture.write(tmp.resolve("b"), 224, 112);
        Path index = dir.resolve("index.csv");
        Files.writeString(index, Files.readString(index).replaceFirst(",texture\n", ",textures\n"));
        assertMentions(message(() -> BrodenDataset.open(dir)), "index.csv", "line 1", "missing column texture");
    }

    @Test
    void missingLabelColumnIsNamed() throws IOException {
        Path dir = BrodenFixture.write(tmp.resolve("b"), 224, 112);
        Path labels = dir.resolve("label.csv");
        Files.writeString(labels, Files.readString(labels).replaceFirst("coverage", "cover"));
        assertMentions(message(() -> BrodenDataset.open(dir)), "label.csv", "line 1", "missing column coverage");
    }

    @Test
    void missingCategoryFileIsNamed() throws IOException {
        Path dir = BrodenFixture.write(tmp.resolve("b"), 224, 112);
        Files.delete(dir.resolve("c_material.csv"));
        assertMentions(message(() -> BrodenDataset.open(dir)), "c_material.csv", "does not exist");
    }

    @Test
    void missingSegmentationFileIsNamedWithItsRow() throws IOException {
        Path dir = BrodenFixture.write(tmp.resolve("b"), 224, 112);
        Files.delete(dir.resolve("images/pascal/2008_000001_part_1.png"));
        assertMentions(message(() -> BrodenDataset.open(dir)), "index.csv, line 4", "pascal/2008_000001.jpg",
                "column part", "2008_000001_part_1.png", "does not exist");
    }

    @Test
    void unknownLabelInAPngIsNamedWithFileRowAndPixel() throws IOException {
        Path dir = BrodenFixture.write(tmp.resolve("b"), 224, 112);
        BrodenFixture.labels(dir.resolve("images/ade20k/ADE_train_1_object.png"), 112,
                (x, y) -> x == 3 && y == 2 ? 99 : 4);
        BrodenDataset data = BrodenDataset.open(dir);
        String m = message(() -> data.segmentation(0));
        assertMentions(m, "index.csv, line 2", "ADE_train_1_object.png", "x=3, y=2", "label number 99",
                "not in label.csv");
        assertMentions(message(data::validate), "label number 99");
    }

    @Test
    void unknownImageLevelLabelIsNamedWithItsRow() throws IOException {
        Path dir = BrodenFixture.write(tmp.resolve("b"), 224, 112);
        Path index = dir.resolve("index.csv");
        Files.writeString(index, Files.readString(index).replace(",12;13\n", ",12;77\n"));
        assertMentions(message(() -> BrodenDataset.open(dir)), "index.csv, line 3", "column texture",
                "label number 77", "not in label.csv");
    }

    @Test
    void unknownLabelInACategoryFileIsNamed() throws IOException {
        Path dir = BrodenFixture.write(tmp.resolve("b"), 224, 112);
        Files.writeString(dir.resolve("c_scene.csv"), "code,number,name,frequency,coverage\n1,10,street,2,2.0\n"
                + "2,42,beach,1,1.0\n");
        assertMentions(message(() -> BrodenDataset.open(dir)), "c_scene.csv", "line 3", "label number 42",
                "not in label.csv");
    }

    @Test
    void wrongSizePngIsNamedWithBothSizes() throws IOException {
        Path dir = BrodenFixture.write(tmp.resolve("b"), 227, 113);
        BrodenFixture.labels(dir.resolve("images/dtd/banded_0001_color.png"), 112, 114, (x, y) -> 1);
        BrodenDataset data = BrodenDataset.open(dir);
        assertMentions(message(() -> data.segmentation(1)), "index.csv, line 3", "banded_0001_color.png",
                "is 112x114", "sh x sw = 113x113");
    }

    @Test
    void malformedNumberIsNamed() throws IOException {
        Path dir = BrodenFixture.write(tmp.resolve("b"), 224, 112);
        Path index = dir.resolve("index.csv");
        Files.writeString(index, Files.readString(index).replaceFirst("val,224", "val,big"));
        assertMentions(message(() -> BrodenDataset.open(dir)), "index.csv, line 3", "column ih",
                "must be an integer", "'big'");
    }

    @Test
    void missingDirectoryIsNamed() {
        assertMentions(message(() -> BrodenDataset.open(tmp.resolve("nowhere"))), "nowhere", "not a directory");
    }
}
