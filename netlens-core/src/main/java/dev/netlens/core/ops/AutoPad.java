package dev.netlens.core.ops;

/** ONNX auto_pad modes of convolutions and pools. */
public enum AutoPad {
    /** Explicit pads. */
    NOTSET,
    /** No padding. */
    VALID,
    /** Output extent ceil(in / stride); odd padding goes at the end. */
    SAME_UPPER,
    /** Output extent ceil(in / stride); odd padding goes at the beginning. */
    SAME_LOWER;

    /** Parses an ONNX auto_pad string. */
    public static AutoPad parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("auto_pad must be NOTSET, VALID, SAME_UPPER or SAME_LOWER, got '" + s + "'");
        }
    }

    /**
     * The {begin, end} padding along one axis for extent {@code in}, or {@code explicit} for NOTSET.
     */
    public int[] pads(int in, int kernel, int stride, int dilation, int explicitBegin, int explicitEnd) {
        switch (this) {
            case VALID:
                return new int[] {0, 0};
            case SAME_UPPER:
            case SAME_LOWER: {
                int out = (in + stride - 1) / stride;
                int total = Math.max(0, (out - 1) * stride + (kernel - 1) * dilation + 1 - in);
                int small = total / 2;
                return this == SAME_UPPER ? new int[] {small, total - small} : new int[] {total - small, small};
            }
            default:
                return new int[] {explicitBegin, explicitEnd};
        }
    }
}
