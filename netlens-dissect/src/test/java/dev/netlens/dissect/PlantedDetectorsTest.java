package dev.netlens.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.ops.BackwardContext;
import dev.netlens.core.ops.Concat;
import dev.netlens.core.ops.Conv;
import dev.netlens.core.ops.ForwardContext;
import dev.netlens.core.ops.Op;
import dev.netlens.core.ops.OpCategory;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.concepts.BrodenDataset;
import dev.netlens.data.concepts.ConceptSegmentation;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Planted ground truth: a network whose units are wired to known concepts.
 * <ul>
 *   <li>unit 0: a real 1×1 convolution R − 2G − B on the RGB input — high exactly on red paint;</li>
 *   <li>unit 1: pseudo-random noise, a function of the image's content and the position only;</li>
 *   <li>unit 2: an oracle unit — a test op recognises the image from its pixels and outputs the
 *       mask of the "circle" object from its segmentation, plus a little noise so values are
 *       distinct;</li>
 *   <li>unit 3: the same for the "striped" texture.</li>
 * </ul>
 * A unit's thresholded mask covers the fraction q of all positions, so a unit can reach a high IoU
 * only with a concept covering about q of the pixels; the test therefore dissects with q set to
 * the planted concept's pixel share, and with the default q = 0.005 for the noise unit.
 */
class PlantedDetectorsTest {
    @Test
    void dissectionFindsThePlantedUnits() {
        BrodenDataset data = ProbeData.data();
        int red = data.label("red").number();
        int circle = data.label("circle").number();
        int striped = data.label("striped").number();
        Graph net = plantedNet(data, circle, striped);

        double redShare = share(data, "color", red);
        double circleShare = share(data, "object", circle);
        System.out.printf(Locale.ROOT, "planted: red covers %.4f of pixels, circle %.4f%n", redShare, circleShare);

        LayerDissection byRed = Dissection.builder(net, "units").quantile(redShare).batchSize(16).build()
                .run(data, Dissection.Listener.NONE, null).layer("units");
        UnitDissection redUnit = byRed.units().get(0);
        System.out.println("planted (q = red share): " + byRed.units());
        assertEquals("red", redUnit.best().label());
        assertTrue(redUnit.detector() && redUnit.best().iou() > 0.5, redUnit.toString());

        LayerDissection byCircle = Dissection.builder(net, "units").quantile(circleShare).batchSize(16).build()
                .run(data, Dissection.Listener.NONE, null).layer("units");
        UnitDissection circleUnit = byCircle.units().get(2);
        System.out.println("planted (q = circle share): " + byCircle.units());
        assertEquals("circle", circleUnit.best().label());
        assertTrue(circleUnit.best().iou() > 0.5, circleUnit.toString());

        double stripedShare = share(data, "texture", striped);
        LayerDissection byTexture = Dissection.builder(net, "units").quantile(stripedShare).batchSize(16).build()
                .run(data, Dissection.Listener.NONE, null).layer("units");
        UnitDissection textureUnit = byTexture.units().get(3);
        System.out.println("planted (q = striped share " + stripedShare + "): " + byTexture.units());
        assertEquals("striped", textureUnit.best().label());
        assertTrue(textureUnit.detector() && textureUnit.best().iou() > 0.5, textureUnit.toString());

        LayerDissection byDefault = Dissection.builder(net, "units").batchSize(16).build()
                .run(data, Dissection.Listener.NONE, null).layer("units");
        System.out.println("planted (q = 0.005): " + byDefault.units());
        assertFalse(byDefault.units().get(1).detector(), byDefault.units().get(1).toString());
        // at q = red share (6.5%) a random mask overlaps a large concept by chance: IoU ≈ qg/(q + g − qg),
        // above 0.04 for a colour covering a third of the image — so only the default q tests "no detector"
        assertTrue(byRed.units().get(1).best().iou() < 0.1, byRed.units().get(1).toString());
    }

    /** Fraction of all pixels of the dataset that carry {@code label} in {@code category}. */
    private static double share(BrodenDataset data, String category, int label) {
        long on = 0;
        long all = 0;
        for (int i = 0; i < data.size(); i++) {
            boolean[] m = data.segmentation(i).mask(category, label);
            for (boolean b : m) {
                on += b ? 1 : 0;
            }
            all += m.length;
        }
        return (double) on / all;
    }

    private static Graph plantedNet(BrodenDataset data, int circle, int striped) {
        int s = ProbeData.SIZE;
        Map<Integer, float[]> objectMaps = new HashMap<>();
        for (int i = 0; i < data.size(); i++) {
            ConceptSegmentation seg = data.segmentation(i);
            boolean[] m = seg.mask("object", circle);
            boolean[] t = seg.mask("texture", striped);
            float[] map = new float[2 * s * s];
            for (int p = 0; p < s * s; p++) {
                map[p] = m[p] ? 1f : 0f;
                map[s * s + p] = t[p] ? 1f : 0f;
            }
            objectMaps.put(Arrays.hashCode(data.image(i).data()), map);
        }
        float[] w = {1f, -2f, -1f};
        return Graph.builder()
                .input("input", -1, 3, s, s)
                .parameter("red.weight", Tensor.of(w, 1, 3, 1, 1))
                .node("red", Conv.of(1, 0), List.of("input", "red.weight"), List.of("red"))
                .node("planted", new PlantedMaps(objectMaps), List.of("input"), List.of("planted"))
                .node("units", new Concat(1), List.of("red", "planted"), List.of("units"))
                .output("units")
                .build();
    }

    /** Test op: [N, 3, H, W] → [N, 3, H, W] = (noise, oracle object mask, oracle texture mask; + small noise). */
    private static final class PlantedMaps implements Op {
        private final Map<Integer, float[]> objectMaps;

        PlantedMaps(Map<Integer, float[]> objectMaps) {
            this.objectMaps = objectMaps;
        }

        @Override
        public String type() {
            return "PlantedMaps";
        }

        @Override
        public OpCategory category() {
            return OpCategory.ELEMENTWISE;
        }

        @Override
        public Tensor[] forward(ForwardContext ctx, Tensor... inputs) {
            Tensor x = inputs[0];
            int n = x.dim(0);
            int plane = x.dim(2) * x.dim(3);
            float[] out = new float[n * 3 * plane];
            for (int i = 0; i < n; i++) {
                float[] image = Arrays.copyOfRange(x.data(), i * 3 * plane, (i + 1) * 3 * plane);
                int key = Arrays.hashCode(image);
                float[] object = objectMaps.getOrDefault(key, new float[2 * plane]);
                SplittableRandom random = new SplittableRandom(key);
                for (int p = 0; p < plane; p++) {
                    out[(i * 3) * plane + p] = (float) random.nextDouble();
                    out[(i * 3 + 1) * plane + p] = object[p] + 0.01f * (float) random.nextDouble();
                    out[(i * 3 + 2) * plane + p] = object[plane + p] + 0.01f * (float) random.nextDouble();
                }
            }
            return new Tensor[] {Tensor.of(out, n, 3, x.dim(2), x.dim(3))};
        }

        @Override
        public Tensor[] backward(BackwardContext ctx, Tensor... gradOutputs) {
            throw new UnsupportedOperationException("PlantedMaps has no VJP (test op)");
        }
    }
}
