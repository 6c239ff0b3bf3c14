package dev.netlens.core.onnx;

/**
 * Thrown when bytes are not a well-formed ONNX model or tensor: a truncated or corrupt file, a file
 * of another format, a tensor whose data does not match its declared type and shape, external data
 * that is missing or lies outside the model's directory, or a feature netlens does not support
 * (such as sparse initializers). The message names the file and says what is wrong, so it can be
 * shown to a user as it is.
 */
public class OnnxFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** An exception with a complete, user-facing message. */
    public OnnxFormatException(String message) {
        super(message);
    }

    /** An exception with a complete, user-facing message and the low-level cause. */
    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
