package dev.netlens.data.concepts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One rendered concept scene, everything the generator writes for it: the RGB pixels, the label
 * planes (global label numbers, row-major, {@code size × size}), the objects and the part landmarks.
 * Arrays are shared; do not modify them.
 *
 * @param index the image's row in {@code index.csv}
 * @param image the image file name relative to {@code images/}
 * @param split {@code train} or {@code val}
 * @param size the image and segmentation side in pixels
 * @param scene the scene name (an image-level label)
 * @param rgb packed {@code 0xRRGGBB} pixels
 * @param colour colour label of every pixel
 * @param object object label (0 = background)
 * @param part part label of the level-1 parts (0 = none)
 * @param subpart part label of the level-2 parts drawn on them — windows, doors, eyes, nose, mouth
 * @param texture texture label (0 = plain or background)
 * @param objects the object instances in drawing order
 * @param landmarks the centre of every part instance
 */
public record ConceptScene(int index, String image, String split, int size, String scene, int[] rgb, int[] colour,
                           int[] object, int[] part, int[] subpart, int[] texture, List<SceneObject> objects,
                           List<Landmark> landmarks) {
    /** The main object (the classification label). */
    public SceneObject mainObject() {
        return objects.stream().filter(SceneObject::main).findFirst().orElseThrow();
    }

    /** The file stem of the image's files: {@code image} without {@code .png}. */
    String stem() {
        return image.substring(0, image.length() - 4);
    }

    /**
     * The segmentation files of each category, as written ({@code index.csv} cells); planes that are
     * all 0 are not written.
     */
    Map<String, List<String>> segmentationFiles() {
        Map<String, List<String>> files = new LinkedHashMap<>();
        planes().forEach((category, named) -> files.put(category, List.copyOf(named.keySet())));
        return files;
    }

    /** Per category, the planes written and their file names. */
    Map<String, Map<String, int[]>> planes() {
        Map<String, Map<String, int[]>> out = new LinkedHashMap<>();
        add(out, "color", stem() + "_color.png", colour);
        add(out, "object", stem() + "_object.png", object);
        add(out, "part", stem() + "_part.png", part);
        add(out, "part", stem() + "_part2.png", subpart);
        add(out, "texture", stem() + "_texture.png", texture);
        return out;
    }

    private static void add(Map<String, Map<String, int[]>> out, String category, String file, int[] plane) {
        for (int v : plane) {
            if (v != 0) {
                out.computeIfAbsent(category, c -> new LinkedHashMap<>()).put(file, plane);
                return;
            }
        }
    }

    /** The scene's labels as the Broden reader returns them. */
    public ConceptSegmentation segmentation() {
        Map<String, List<int[]>> planes = new LinkedHashMap<>();
        planes().forEach((category, named) -> planes.put(category, List.copyOf(named.values())));
        return new ConceptSegmentation(size, size, planes,
                Map.of("scene", List.of(ConceptVocabulary.number("scene", scene))));
    }
}
