package dev.netlens.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names, categories, retention, attributes, text and equality of the data-movement ops. */
class ShapeOpsContractTest {

    private static void check(Op op, String type, OpCategory category, String text) {
        assertEquals(type, op.type());
        assertEquals(category, op.category(), type);
        assertFalse(op.retainsInput(0), type + " must not retain its input");
        assertFalse(op.retainsOutput(0), type + " must not retain its output");
        assertEquals(text, op.toString());
    }

    @Test
    void typesCategoriesRetentionAndText() {
        check(new Concat(-1), "Concat", OpCategory.SHAPE, "Concat{axis=-1}");
        check(Split.of(1, 2, 3), "Split", OpCategory.SHAPE, "Split{axis=1, split=[2, 3]}");
        check(Split.equal(0, 3), "Split", OpCategory.SHAPE, "Split{axis=0, num_outputs=3}");
        check(new Slice(new long[] {0}, new long[] {Long.MAX_VALUE}, new long[] {-1}, new long[] {2}), "Slice",
                OpCategory.SHAPE, "Slice{starts=[0], ends=[9223372036854775807], axes=[-1], steps=[2]}");
        check(new Reshape(0, -1), "Reshape", OpCategory.SHAPE, "Reshape{shape=[0, -1], allowzero=0}");
        check(new Flatten(), "Flatten", OpCategory.SHAPE, "Flatten{axis=1}");
        check(new Transpose(), "Transpose", OpCategory.SHAPE, "Transpose");
        check(new Transpose(0, 2, 1), "Transpose", OpCategory.SHAPE, "Transpose{perm=[0, 2, 1]}");
        check(new Squeeze(), "Squeeze", OpCategory.SHAPE, "Squeeze");
        check(new Squeeze(0, -1), "Squeeze", OpCategory.SHAPE, "Squeeze{axes=[0, -1]}");
        check(new Unsqueeze(1), "Unsqueeze", OpCategory.SHAPE, "Unsqueeze{axes=[1]}");
        check(new Pad(0, 1, 0, 1), "Pad", OpCategory.SHAPE, "Pad{mode=constant, pads=[0, 1, 0, 1], constant_value=0.0}");
        check(Pad.of("edge", new int[] {1, 1}, 0f, new int[] {-1}), "Pad", OpCategory.SHAPE,
                "Pad{mode=edge, pads=[1, 1], axes=[-1]}");
        check(Resize.builder().mode("linear").scales(1, 1, 2, 2).build(), "Resize", OpCategory.RESAMPLE,
                "Resize{mode=linear, coordinate_transformation_mode=half_pixel, scales=[1.0, 1.0, 2.0, 2.0]}");
        check(new Dropout(), "Dropout", OpCategory.IDENTITY, "Dropout{ratio=0.5}");
        check(new Identity(), "Identity", OpCategory.IDENTITY, "Identity");
    }

    @Test
    void opsAreValuesComparedByAttributes() {
        List<Op> a = List.of(new Concat(1), Split.of(0, 1, 1), new Slice(new long[] {1}, new long[] {3}),
                new Reshape(2, -1), new Flatten(2), new Transpose(1, 0), new Squeeze(0), new Unsqueeze(0),
                Pad.reflect(1, 1), Resize.builder().sizes(4, 4).build(), new Dropout(0.1f), new Identity());
        List<Op> b = List.of(new Concat(1), Split.of(0, 1, 1), new Slice(new long[] {1}, new long[] {3}),
                new Reshape(2, -1), new Flatten(2), new Transpose(1, 0), new Squeeze(0), new Unsqueeze(0),
                Pad.reflect(1, 1), Resize.builder().sizes(4, 4).build(), new Dropout(0.1f), new Identity());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i));
            assertEquals(a.get(i).hashCode(), b.get(i).hashCode());
            for (int j = 0; j < a.size(); j++) {
                if (i != j) {
                    assertNotEquals(a.get(i), b.get(j));
                }
            }
        }
        assertNotEquals(new Concat(1), new Concat(0));
        assertNotEquals(Split.of(0, 1, 2), Split.of(0, 2, 1));
        assertNotEquals(Pad.reflect(1, 1), Pad.edge(1, 1));
        assertNotEquals(new Reshape(2, -1), new Reshape(new int[] {2, -1}, true));
    }

    @Test
    void attributesUseOnnxNamesAndAreCopies() {
        Map<String, Object> attrs = new Slice(new long[] {1}, new long[] {3}).attributes();
        ((long[]) attrs.get("starts"))[0] = 99;
        assertEquals(1L, ((long[]) new Slice(new long[] {1}, new long[] {3}).attributes().get("starts"))[0]);
        int[] perm = {1, 0};
        Transpose t = new Transpose(perm);
        perm[0] = 0;
        assertEquals("Transpose{perm=[1, 0]}", t.toString());
        assertEquals(List.of("mode", "coordinate_transformation_mode", "nearest_mode", "sizes", "axes"),
                List.copyOf(Resize.builder().sizes(4).axes(-1).build().attributes().keySet()));
        assertEquals(List.of("mode", "pads", "constant_value"), List.copyOf(new Pad(1, 1).attributes().keySet()));
    }
}
