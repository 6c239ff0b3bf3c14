package dev.netlens.core.ops;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Base of ops that are plain values: two ops are equal when they are of the same class, have the
 * same {@link #type()} and equal {@link #attributes()} (arrays compared by content), and
 * {@link #toString()} reads {@code Type{name=value, ...}} with arrays written out.
 */
public abstract class ValueOp implements Op {

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        Op other = (Op) o;
        if (!type().equals(other.type())) {
            return false;
        }
        Map<String, Object> a = attributes();
        Map<String, Object> b = other.attributes();
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : a.entrySet()) {
            if (!Objects.deepEquals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = type().hashCode();
        for (Map.Entry<String, Object> e : attributes().entrySet()) {
            h += e.getKey().hashCode() ^ Arrays.deepHashCode(new Object[] {e.getValue()});
        }
        return h;
    }

    @Override
    public String toString() {
        return describe(type(), attributes());
    }

    /** "Type{a=1, b=[1, 2]}" (or just "Type" without attributes), arrays written out. */
    public static String describe(String type, Map<String, Object> attributes) {
        if (attributes.isEmpty()) {
            return type;
        }
        StringBuilder b = new StringBuilder(type).append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            b.append(first ? "" : ", ").append(e.getKey()).append('=').append(text(e.getValue()));
            first = false;
        }
        return b.append('}').toString();
    }

    private static String text(Object v) {
        if (v == null || !v.getClass().isArray()) {
            return String.valueOf(v);
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < Array.getLength(v); i++) {
            b.append(i == 0 ? "" : ", ").append(text(Array.get(v, i)));
        }
        return b.append(']').toString();
    }
}
