package dev.netlens.data.datasets;

/**
 * One transformed example: the image as CHW floats (shape {@link Dataset#imageShape()}) and its
 * class index. The array belongs to the receiver.
 *
 * @param image the CHW pixel values after the dataset's transforms
 * @param label the class index in {@code [0, classes)}
 */
public record Example(float[] image, int label) {
}
