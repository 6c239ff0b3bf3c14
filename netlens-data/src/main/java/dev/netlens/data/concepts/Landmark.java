package dev.netlens.data.concepts;

/**
 * The centre of one part instance of a generated concept scene, a row of {@code landmarks.csv}.
 * Listed for every part instance, also when occluded ({@code visible} = 0).
 *
 * @param image the image, as named in {@code index.csv}
 * @param instance the object instance it belongs to (see {@link SceneObject#instance})
 * @param object the object class name
 * @param part the part name
 * @param x the centre x in pixels (2 decimals; pixel (i, j) covers [i, i+1) × [j, j+1))
 * @param y the centre y in pixels (2 decimals)
 * @param visible the number of pixels of this part instance visible in its part plane
 */
public record Landmark(String image, int instance, String object, String part, double x, double y, int visible) {
}
