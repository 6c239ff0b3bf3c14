package dev.netlens.core.onnx;

import java.util.Locale;
import java.util.function.Function;

/**
 * What an op converter sees of one ONNX node: its attributes with ONNX defaults, which inputs are
 * present, and the values of inputs that are constants at load time (initializers or folded
 * shape computations). Errors it raises name the model, node, op and opset.
 */
final class NodeView {
    final OnnxNode node;
    final long opset;
    private final String source;
    private final Function<String, ConstantValue> constants;

    NodeView(OnnxNode node, long opset, String source, Function<String, ConstantValue> constants) {
        this.node = node;
        this.opset = opset;
        this.source = source;
        this.constants = constants;
    }

    String opType() {
        return node.opType();
    }

    int inputCount() {
        return node.inputs().size();
    }

    boolean hasInput(int i) {
        return i < node.inputs().size() && !node.inputs().get(i).isEmpty();
    }

    String inputName(int i) {
        return node.inputs().get(i);
    }

    int outputCount() {
        return node.outputs().size();
    }

    boolean isConstant(int i) {
        return hasInput(i) && constants.apply(node.inputs().get(i)) != null;
    }

    /** The constant value of input {@code i}; fails clearly when it is not known at load time. */
    ConstantValue constant(int i) {
        if (!hasInput(i)) {
            throw error("input " + i + " is required");
        }
        ConstantValue v = constants.apply(node.inputs().get(i));
        if (v == null) {
            throw error("input " + i + " ('" + node.inputs().get(i) + "') must be a constant known at load time"
                    + " (an initializer, a Constant node or a computation on static shapes)");
        }
        return v;
    }

    /** The constant input {@code i} as int64 values, or null when the input is absent. */
    long[] constantLongs(int i) {
        return hasInput(i) ? constant(i).asLongs() : null;
    }

    /** The constant input {@code i} as float values, or null when the input is absent. */
    float[] constantFloats(int i) {
        return hasInput(i) ? constant(i).asFloats() : null;
    }

    boolean hasAttribute(String name) {
        return node.attribute(name).isPresent();
    }

    long intAttr(String name, long dflt) {
        return node.attribute(name).map(a -> {
            require(a, OnnxAttribute.Type.INT);
            return a.i();
        }).orElse(dflt);
    }

    int intAttrAsInt(String name, int dflt) {
        long v = intAttr(name, dflt);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw error("attribute " + name + " = " + v + " is out of range");
        }
        return (int) v;
    }

    float floatAttr(String name, float dflt) {
        return node.attribute(name).map(a -> {
            require(a, OnnxAttribute.Type.FLOAT);
            return a.f();
        }).orElse(dflt);
    }

    String stringAttr(String name, String dflt) {
        return node.attribute(name).map(a -> {
            require(a, OnnxAttribute.Type.STRING);
            return a.string();
        }).orElse(dflt);
    }

    /** An INTS attribute, or null when absent. */
    long[] intsAttr(String name) {
        return node.attribute(name).map(a -> {
            require(a, OnnxAttribute.Type.INTS);
            return a.ints().clone();
        }).orElse(null);
    }

    /** An INTS attribute as int[], or null when absent. */
    int[] intArrayAttr(String name) {
        long[] v = intsAttr(name);
        if (v == null) {
            return null;
        }
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < Integer.MIN_VALUE || v[i] > Integer.MAX_VALUE) {
                throw error("attribute " + name + " has an out-of-range entry " + v[i]);
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    /** A FLOATS attribute, or null when absent. */
    float[] floatsAttr(String name) {
        return node.attribute(name).map(a -> {
            require(a, OnnxAttribute.Type.FLOATS);
            return a.floats().clone();
        }).orElse(null);
    }

    OnnxTensor tensorAttr(String name) {
        return node.attribute(name).map(a -> {
            require(a, OnnxAttribute.Type.TENSOR);
            return a.t();
        }).orElse(null);
    }

    private void require(OnnxAttribute a, OnnxAttribute.Type type) {
        if (a.type() != type) {
            throw error("attribute " + a.name() + " must be of type " + type + ", found " + a.type());
        }
    }

    /** Fails unless the attribute is absent or has one of the allowed (case-insensitive) values. */
    String enumAttr(String name, String dflt, String... allowed) {
        String v = stringAttr(name, dflt);
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw error("attribute " + name + " = '" + v + "' is not supported; supported: "
                + String.join(", ", allowed));
    }

    OnnxImportException error(String message) {
        return new OnnxImportException(describe() + ": " + message);
    }

    String describe() {
        String name = node.name() == null || node.name().isEmpty() ? "" : "'" + node.name() + "' ";
        return source + ": node " + name + "(" + node.opType() + ", opset " + opset + ")";
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
