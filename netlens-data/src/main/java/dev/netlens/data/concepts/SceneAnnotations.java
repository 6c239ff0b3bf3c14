package dev.netlens.data.concepts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The annotations netlens' concept scenes carry beyond the Broden layout: {@code objects.csv} (every
 * object instance, the main one marked) and {@code landmarks.csv} (the centre of every part
 * instance), grouped by image.
 */
public final class SceneAnnotations {
    private final Map<String, List<SceneObject>> objects;
    private final Map<String, List<Landmark>> landmarks;

    private SceneAnnotations(Map<String, List<SceneObject>> objects, Map<String, List<Landmark>> landmarks) {
        this.objects = objects;
        this.landmarks = landmarks;
    }

    /** Whether {@code directory} has {@code objects.csv} (is generated concept-scene data). */
    public static boolean present(Path directory) {
        return Files.isRegularFile(directory.resolve("objects.csv"));
    }

    /**
     * Reads {@code objects.csv} and {@code landmarks.csv} of a generated dataset.
     *
     * @throws IllegalArgumentException naming the file, line and problem when a file or column is
     *     missing or a value is malformed
     */
    public static SceneAnnotations read(Path directory) {
        CsvTable o = CsvTable.read(directory.resolve("objects.csv")).require("image", "instance", "object", "main",
                "x", "y", "scale", "rotation", "flipped", "colour", "texture", "visible");
        Map<String, List<SceneObject>> objects = new LinkedHashMap<>();
        for (int r = 0; r < o.size(); r++) {
            SceneObject so = new SceneObject(o.get(r, "image"), o.getInt(r, "instance"), o.get(r, "object"),
                    flag(o, r, "main"), o.getDouble(r, "x"), o.getDouble(r, "y"), o.getDouble(r, "scale"),
                    o.getDouble(r, "rotation"), flag(o, r, "flipped"), o.get(r, "colour"), o.get(r, "texture"),
                    o.getInt(r, "visible"));
            objects.computeIfAbsent(so.image(), k -> new ArrayList<>()).add(so);
        }
        CsvTable l = CsvTable.read(directory.resolve("landmarks.csv")).require("image", "instance", "object", "part",
                "x", "y", "visible");
        Map<String, List<Landmark>> landmarks = new LinkedHashMap<>();
        for (int r = 0; r < l.size(); r++) {
            Landmark lm = new Landmark(l.get(r, "image"), l.getInt(r, "instance"), l.get(r, "object"),
                    l.get(r, "part"), l.getDouble(r, "x"), l.getDouble(r, "y"), l.getInt(r, "visible"));
            landmarks.computeIfAbsent(lm.image(), k -> new ArrayList<>()).add(lm);
        }
        return new SceneAnnotations(Collections.unmodifiableMap(objects), Collections.unmodifiableMap(landmarks));
    }

    private static boolean flag(CsvTable t, int r, String column) {
        String s = t.get(r, column);
        if (!s.equals("0") && !s.equals("1")) {
            throw t.error(r, "column " + column + " must be 0 or 1, got '" + s + "'");
        }
        return s.equals("1");
    }

    /** The object instances of an image, in drawing order (empty when none). */
    public List<SceneObject> objects(String image) {
        return objects.getOrDefault(image, List.of());
    }

    /** The landmarks of an image (empty when none). */
    public List<Landmark> landmarks(String image) {
        return landmarks.getOrDefault(image, List.of());
    }

    /**
     * The main object of an image.
     *
     * @throws IllegalArgumentException when objects.csv marks no main object for it
     */
    public SceneObject mainObject(String image) {
        for (SceneObject o : objects(image)) {
            if (o.main()) {
                return o;
            }
        }
        throw new IllegalArgumentException("objects.csv marks no main object (main=1) for image " + image);
    }
}
