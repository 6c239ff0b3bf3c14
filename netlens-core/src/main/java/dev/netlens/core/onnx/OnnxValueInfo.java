package dev.netlens.core.onnx;

import java.util.List;

/**
 * A ValueInfoProto of a tensor: name, element type and shape. {@code shape} is null when the rank
 * is unknown; a dimension with a symbolic name or no value has {@link Dim#value()} −1.
 */
public record OnnxValueInfo(String name, OnnxDataType elemType, List<Dim> shape, String docString) {
    /** One dimension: a fixed extent, or −1 with an optional symbolic name such as "batch". */
    public record Dim(long value, String param) {
        public boolean isFixed() {
            return value >= 0;
        }
    }
}
