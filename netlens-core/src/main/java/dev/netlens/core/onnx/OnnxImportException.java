package dev.netlens.core.onnx;

/**
 * A model that is well-formed ONNX but cannot be imported (unknown op, unsupported attribute value,
 * missing initializer, a shape computation that depends on dynamic input sizes, …). The message
 * names the model, node, op and opset, and what would be valid.
 */
public class OnnxImportException extends IllegalArgumentException {
    public OnnxImportException(String message) {
        super(message);
    }

    public OnnxImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
