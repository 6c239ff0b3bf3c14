package dev.netlens.data.concepts;

/**
 * One object instance of a generated concept scene, a row of {@code objects.csv}.
 *
 * @param image the image, as named in {@code index.csv}
 * @param instance the instance number within the image, in drawing order from 1 (later instances
 *     cover earlier ones)
 * @param object the object class name
 * @param main whether this is the image's main object (its class label for classification): drawn
 *     last and largest
 * @param x the centre x in pixels (2 decimals)
 * @param y the centre y in pixels (2 decimals)
 * @param scale the half-size in pixels (2 decimals): the local frame [-1, 1]² maps to ±scale
 * @param rotation the rotation in degrees, clockwise on screen (2 decimals)
 * @param flipped whether the object is mirrored left–right (before rotation)
 * @param colour the colour name of its paintable parts
 * @param texture the texture name painted on them, or "" for plain
 * @param visible the number of its pixels left visible after occlusion
 */
public record SceneObject(String image, int instance, String object, boolean main, double x, double y, double scale,
                          double rotation, boolean flipped, String colour, String texture, int visible) {
}
