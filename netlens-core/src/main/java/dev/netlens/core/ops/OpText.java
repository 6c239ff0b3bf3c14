package dev.netlens.core.ops;

import java.util.Arrays;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Readable text of an op and its attributes, e.g. {@code MaxPool(kernel_shape=[2, 2], strides=[2, 2])}:
 * array-valued attributes are spelled out rather than printed as JVM identities.
 */
final class OpText {
    private OpText() {
    }

    static String of(String type, Map<String, Object> attributes) {
        StringJoiner j = new StringJoiner(", ", type + "(", ")");
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            j.add(e.getKey() + "=" + value(e.getValue()));
        }
        return j.toString();
    }

    private static String value(Object v) {
        if (v instanceof int[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof long[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof float[] a) {
            return Arrays.toString(a);
        }
        return String.valueOf(v);
    }
}
