package dev.netlens.data.concepts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConceptSceneGeneratorTest {
    private static final int COUNT = 40;
    private static final int SIZE = 64;

    @TempDir
    static Path shared;

    static Path dir;
    static ConceptSceneGenerator generator;
    static ConceptStatistics written;

    @BeforeAll
    static void generate() {
        dir = shared.resolve("scenes");
        generator = ConceptSceneGenerator.builder().size(SIZE).seed(11).valFraction(0.25).threads(2).build();
        written = generator.generate(dir, COUNT);
    }

    @Test
    void everyRecordAndMaskReadsBackAsGenerated() {
        BrodenDataset data = BrodenDataset.open(dir);
        assertEquals(COUNT, data.size());
        assertEquals(ConceptVocabulary.CATEGORIES,
                data.categories().stream().map(ConceptCategory::name).collect(Collectors.toList()));
        for (int i = 0; i < COUNT; i++) {
            ConceptScene scene = generator.render(i);
            BrodenRecord r = data.record(i);
            assertEquals(scene.image(), r.image());
            assertEquals(scene.split(), r.split());
            assertEquals(List.of(SIZE, SIZE, SIZE, SIZE), List.of(r.ih(), r.iw(), r.sh(), r.sw()));
            assertEquals(List.of(ConceptVocabulary.number("scene", scene.scene())), r.imageLabels("scene"));
            ConceptSegmentation expected = scene.segmentation();
            ConceptSegmentation actual = data.segmentation(i);
            for (String c : ConceptVocabulary.CATEGORIES) {
                assertEquals(expected.planes(c).size(), actual.planes(c).size(), c + " planes of image " + i);
                for (int k = 0; k < expected.planes(c).size(); k++) {
                    assertArrayEquals(expected.planes(c).get(k), actual.planes(c).get(k), c + " plane " + k + " of " + i);
                }
                assertEquals(expected.imageLabels(c), actual.imageLabels(c));
            }
            // Every pixel has a colour; the image reads back as the rendered RGB.
            for (int v : actual.planes("color").get(0)) {
                assertTrue(v >= 1 && v <= 11, "colour label " + v);
            }
            float[] rgb = data.image(i).data();
            int area = SIZE * SIZE;
            for (int p = 0; p < area; p++) {
                int packed = scene.rgb()[p];
                assertEquals(((packed >> 16) & 0xff) / 255f, rgb[p], 0f);
                assertEquals((packed & 0xff) / 255f, rgb[2 * area + p], 0f);
            }
        }
    }

    @Test
    void objectsAndLandmarksReadBackAndAgreeWithTheMasks() {
        BrodenDataset data = BrodenDataset.open(dir);
        SceneAnnotations notes = SceneAnnotations.read(dir);
        int landmarks = 0;
        for (int i = 0; i < COUNT; i++) {
            ConceptScene scene = generator.render(i);
            assertEquals(scene.objects(), notes.objects(scene.image()));
            assertEquals(scene.landmarks(), notes.landmarks(scene.image()));
            landmarks += scene.landmarks().size();
            List<SceneObject> objects = scene.objects();
            assertTrue(objects.size() >= 1 && objects.size() <= 3);
            assertEquals(1, objects.stream().filter(SceneObject::main).count());
            assertTrue(objects.get(objects.size() - 1).main(), "the main object is drawn last");
            assertEquals(scene.mainObject(), notes.mainObject(scene.image()));
            assertTrue(scene.mainObject().visible() > 0);

            ConceptSegmentation seg = data.segmentation(i);
            // Visible pixels per object class = object mask sizes.
            Map<Integer, Integer> byObject = new TreeMap<>();
            for (SceneObject o : objects) {
                if (o.visible() > 0) {
                    byObject.merge(ConceptVocabulary.number("object", o.object()), o.visible(), Integer::sum);
                }
            }
            assertEquals(byObject, seg.pixelCounts("object"), "image " + i);
            // Visible pixels per part name, summed over part instances = part mask sizes.
            Map<Integer, Integer> byPart = new TreeMap<>();
            for (Landmark l : scene.landmarks()) {
                if (l.visible() > 0) {
                    byPart.merge(ConceptVocabulary.number("part", l.part()), l.visible(), Integer::sum);
                }
                // The landmark lies in the image's neighbourhood of its object.
                SceneObject o = objects.get(l.instance() - 1);
                assertEquals(o.object(), l.object());
                assertTrue(Math.hypot(l.x() - o.x(), l.y() - o.y()) <= 1.5 * o.scale() + 0.02);
            }
            assertEquals(byPart, seg.pixelCounts("part"), "image " + i);
        }
        assertTrue(landmarks > 0);
    }

    @Test
    void statisticsInTheFilesEqualThoseRecomputedFromTheMasks() {
        BrodenDataset data = BrodenDataset.open(dir);
        ConceptStatistics recomputed = data.computeStatistics();
        assertEquals(written.labels(), recomputed.labels());
        assertEquals(COUNT, recomputed.images());
        for (String[] cn : ConceptVocabulary.all()) {
            String category = cn[0];
            int number = ConceptVocabulary.number(category, cn[1]);
            ConceptLabel label = data.label(number);
            assertEquals(cn[1], label.name());
            ConceptStatistics.LabelStatistics s = recomputed.label(number);
            assertEquals(s.frequency(), label.frequency(), cn[1]);
            assertEquals(s.coverage(), label.coverage(), 5e-7, cn[1]);
            assertEquals(Map.of(category, recomputed.frequency(category, number)), label.categoryFrequencies());
        }
        for (ConceptCategory c : data.categories()) {
            List<String> names = ConceptVocabulary.names(c.name());
            assertEquals(names.size(), c.count());
            assertEquals(ConceptVocabulary.first(c.name()), c.first());
            assertEquals(ConceptVocabulary.first(c.name()) + names.size() - 1, c.last());
            assertEquals(recomputed.categoryFrequency(c.name()), c.frequency());
            for (CategoryCode code : c.codes()) {
                assertEquals(names.get(code.code() - 1), code.name());
                assertEquals(ConceptVocabulary.first(c.name()) + code.code() - 1, code.number());
                assertEquals(recomputed.frequency(c.name(), code.number()), code.frequency());
                assertEquals(recomputed.coverage(c.name(), code.number()), code.coverage(), 5e-7);
            }
        }
        // Scenes label whole images: coverage = frequency; colours cover every pixel of every image.
        double colourCoverage = 0;
        for (String colour : ConceptVocabulary.COLOURS) {
            colourCoverage += recomputed.coverage("color", ConceptVocabulary.number("color", colour));
        }
        assertEquals(COUNT, colourCoverage, 1e-9);
        int sceneImages = 0;
        for (String scene : ConceptVocabulary.SCENES) {
            int n = ConceptVocabulary.number("scene", scene);
            assertEquals(recomputed.frequency("scene", n), recomputed.coverage("scene", n), 1e-9);
            sceneImages += recomputed.frequency("scene", n);
        }
        assertEquals(COUNT, sceneImages);
    }

    @Test
    void splitsFollowTheSeededFraction() {
        BrodenDataset data = BrodenDataset.open(dir);
        int val = data.indices("val").length;
        assertEquals(COUNT, val + data.indices("train").length);
        assertTrue(val > 0 && val < COUNT / 2, "val images: " + val);
    }

    @Test
    void sameSeedGivesByteIdenticalFilesAtAnyThreadCount(@TempDir Path tmp) throws Exception {
        ConceptSceneGenerator one = ConceptSceneGenerator.builder().size(40).seed(5).threads(1).build();
        ConceptSceneGenerator two = ConceptSceneGenerator.builder().size(40).seed(5).threads(2).build();
        one.generate(tmp.resolve("a"), 25);
        two.generate(tmp.resolve("b"), 25);
        Map<String, String> a = hashes(tmp.resolve("a"));
        Map<String, String> b = hashes(tmp.resolve("b"));
        assertTrue(a.size() > 25 * 3, "files: " + a.size());
        assertEquals(a, b);

        ConceptSceneGenerator other = ConceptSceneGenerator.builder().size(40).seed(6).threads(2).build();
        other.generate(tmp.resolve("c"), 25);
        Map<String, String> c = hashes(tmp.resolve("c"));
        assertNotEquals(a.get("index.csv"), c.get("index.csv"));
        assertNotEquals(a.get("images/concepts/000000.png"), c.get("images/concepts/000000.png"));
        Set<String> sameImages = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            String name = "images/" + ConceptSceneGenerator.imageName(i);
            if (a.get(name).equals(c.get(name))) {
                sameImages.add(name);
            }
        }
        assertTrue(sameImages.isEmpty(), "identical images across seeds: " + sameImages);
    }

    private static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                MessageDigest md;
                try {
                    md = MessageDigest.getInstance("SHA-256");
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
                out.put(root.relativize(f).toString().replace('\\', '/'),
                        java.util.HexFormat.of().formatHex(md.digest(Files.readAllBytes(f))));
            }
        }
        return out;
    }

    @Test
    void everyConceptOccurs() {
        ConceptSceneGenerator g = ConceptSceneGenerator.builder().size(48).seed(3).build();
        Set<String> objects = new HashSet<>();
        Set<String> mains = new HashSet<>();
        Set<String> scenes = new HashSet<>();
        Set<Integer> labels = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            ConceptScene s = g.render(i);
            s.objects().forEach(o -> objects.add(o.object()));
            mains.add(s.mainObject().object());
            scenes.add(s.scene());
            for (String c : List.of("color", "part", "texture")) {
                for (int[] plane : s.segmentation().planes(c)) {
                    for (int v : plane) {
                        labels.add(v);
                    }
                }
            }
        }
        assertEquals(Set.copyOf(ConceptVocabulary.OBJECTS), objects);
        assertEquals(Set.copyOf(ConceptVocabulary.OBJECTS), mains);
        assertEquals(Set.copyOf(ConceptVocabulary.SCENES), scenes);
        for (String c : List.of("color", "part", "texture")) {
            for (String name : ConceptVocabulary.names(c)) {
                assertTrue(labels.contains(ConceptVocabulary.number(c, name)), c + " " + name + " never painted");
            }
        }
        assertTrue(ConceptVocabulary.TEXTURES.size() >= 8);
        assertTrue(ConceptVocabulary.OBJECTS.size() >= 12);
        assertTrue(ConceptVocabulary.PARTS.size() >= 12);
        assertTrue(ConceptVocabulary.SCENES.size() >= 6);
        assertEquals(11, ConceptVocabulary.COLOURS.size());
    }

    @Test
    void renderingIsAPureFunctionOfSeedAndIndex() {
        ConceptScene a = generator.render(7);
        ConceptScene b = ConceptSceneGenerator.builder().size(SIZE).seed(11).valFraction(0.25).threads(1).build()
                .render(7);
        assertArrayEquals(a.rgb(), b.rgb());
        assertArrayEquals(a.part(), b.part());
        assertEquals(a.landmarks(), b.landmarks());
    }
}
