package dev.netlens.core.ops;

import java.util.Locale;

/** ONNX Resize {@code nearest_mode}: how a fractional input coordinate picks an index. */
public enum ResizeNearestMode {
    /** Nearest integer, halves rounded down (the ONNX default). */
    ROUND_PREFER_FLOOR,
    /** Nearest integer, halves rounded up. */
    ROUND_PREFER_CEIL,
    /** Largest integer not above (PyTorch "nearest"). */
    FLOOR,
    /** Smallest integer not below. */
    CEIL;

    /** The ONNX attribute value, e.g. "round_prefer_floor". */
    public String onnxName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode with ONNX name {@code name}. */
    public static ResizeNearestMode parse(String name) {
        for (ResizeNearestMode m : values()) {
            if (m.onnxName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("Resize: nearest_mode '" + name + "' is not supported; valid: "
                + "round_prefer_floor, round_prefer_ceil, floor, ceil");
    }

    /** The index chosen for coordinate {@code x} (before clamping to the input). */
    public long round(double x) {
        double f = Math.floor(x);
        double frac = x - f;
        return (long) switch (this) {
            case ROUND_PREFER_FLOOR -> frac > 0.5 ? f + 1 : f;
            case ROUND_PREFER_CEIL -> frac >= 0.5 ? f + 1 : f;
            case FLOOR -> f;
            case CEIL -> Math.ceil(x);
        };
    }
}
