package dev.netlens.explain.metrics;

/**
 * A ground-truth region of an image, e.g. the segmentation of a concept scene's main object.
 *
 * @param height mask height
 * @param width mask width
 * @param inside row-major, true inside the object
 */
public record ObjectMask(int height, int width, boolean[] inside) {
    public ObjectMask {
        if (height < 1 || width < 1 || inside == null || inside.length != height * width) {
            throw new IllegalArgumentException("a mask needs height × width = " + height + "×" + width + " values, got "
                    + (inside == null ? "none" : inside.length));
        }
    }

    /** Pixels inside. */
    public int area() {
        int n = 0;
        for (boolean b : inside) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    /** The fraction of the image inside (the energy a uniform map would score). */
    public double fraction() {
        return area() / (double) inside.length;
    }
}
