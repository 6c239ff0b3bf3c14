package dev.netlens.core.onnx;

/** An OperatorSetIdProto: the version of an operator domain ("" or "ai.onnx" is the default domain). */
public record OnnxOpset(String domain, long version) {
    /** Whether this is the default ONNX operator domain. */
    public boolean isDefaultDomain() {
        return domain == null || domain.isEmpty() || domain.equals("ai.onnx");
    }
}
