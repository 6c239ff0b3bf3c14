package dev.netlens.core.ops;

import java.util.Locale;

/**
 * ONNX Resize {@code coordinate_transformation_mode}: maps an output coordinate x to a coordinate
 * in the input, given the input length, the output length and the scale (output/input; with
 * {@code sizes} it is the ratio of the lengths). {@code tf_crop_and_resize} (which needs a region
 * of interest) is not supported.
 */
public enum ResizeCoordinateMode {
    /** (x + 0.5) / scale − 0.5 (the ONNX default; PyTorch bilinear with align_corners=False). */
    HALF_PIXEL,
    /** half_pixel shifted so that resizing stays centred when the output length was rounded (opset 19). */
    HALF_PIXEL_SYMMETRIC,
    /** As half_pixel, but 0 when the output length is 1. */
    PYTORCH_HALF_PIXEL,
    /** x · (in − 1) / (out − 1), or 0 when the output length is 1 (PyTorch align_corners=True). */
    ALIGN_CORNERS,
    /** x / scale (PyTorch "nearest"). */
    ASYMMETRIC,
    /** (x + 0.5) / scale. */
    TF_HALF_PIXEL_FOR_NEAREST;

    /** The ONNX attribute value, e.g. "half_pixel". */
    public String onnxName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode with ONNX name {@code name} ("tf_half_pixel_for_nn", used by early tests, is accepted too). */
    public static ResizeCoordinateMode parse(String name) {
        if ("tf_half_pixel_for_nn".equals(name)) {
            return TF_HALF_PIXEL_FOR_NEAREST;
        }
        for (ResizeCoordinateMode m : values()) {
            if (m.onnxName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("Resize: coordinate_transformation_mode '" + name + "' is not supported"
                + ("tf_crop_and_resize".equals(name) ? " (it needs a region of interest)" : "")
                + "; valid: half_pixel, half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric, "
                + "tf_half_pixel_for_nearest");
    }

    /**
     * The input coordinate of output coordinate {@code x}. The inverse scale (input per output) is
     * {@code num / den}, kept as a ratio so that exact cases stay exact.
     */
    public double toInput(int x, int in, int out, double num, double den) {
        return switch (this) {
            case HALF_PIXEL -> (x + 0.5) * num / den - 0.5;
            case HALF_PIXEL_SYMMETRIC -> {
                // adjustment = out / (scale · in); offset = in/2 · (1 − adjustment).
                double adjustment = out * num / (in * den);
                yield in / 2.0 * (1 - adjustment) + (x + 0.5) * num / den - 0.5;
            }
            case PYTORCH_HALF_PIXEL -> out > 1 ? (x + 0.5) * num / den - 0.5 : 0.0;
            case ALIGN_CORNERS -> out == 1 ? 0.0 : (double) x * (in - 1) / (out - 1);
            case ASYMMETRIC -> x * num / den;
            case TF_HALF_PIXEL_FOR_NEAREST -> (x + 0.5) * num / den;
        };
    }
}
