package dev.netlens.core.onnx;

import java.util.List;
import java.util.Optional;

/** A NodeProto. An absent optional input or output is the empty string. */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       List<OnnxAttribute> attributes, String docString) {

    /** The attribute with this name, if present. */
    public Optional<OnnxAttribute> attribute(String attributeName) {
        for (OnnxAttribute a : attributes) {
            if (a.name().equals(attributeName)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
