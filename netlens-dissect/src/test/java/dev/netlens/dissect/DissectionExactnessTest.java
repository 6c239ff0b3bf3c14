package dev.netlens.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.concepts.BrodenDataset;
import dev.netlens.data.concepts.ConceptLabel;
import dev.netlens.data.concepts.ConceptSegmentation;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Dissection against a brute-force computation written independently here: all activations
 * stored and sorted for the thresholds; masks, intersections and unions counted pixel by pixel
 * from {@link ConceptSegmentation#mask} for the IoUs.
 */
class DissectionExactnessTest {
    private static final double Q = 0.005;

    @Test
    void thresholdsAndIousMatchBruteForce() {
        BrodenDataset data = ProbeData.data();
        Graph net = ProbeData.randomNet();
        String[] layers = {"pool1", "conv2"};
        DissectionResult result = Dissection.builder(net, layers).quantile(Q).batchSize(7).build()
                .run(data, Dissection.Listener.NONE, null);

        double worstRank = 0;
        double worstIou = 0;
        double worstIouExactT = 0;
        for (String layer : layers) {
            Tensor[] perImage = new Tensor[data.size()];
            for (int i = 0; i < data.size(); i++) {
                perImage[i] = net.run().outputs(layer).forward(ProbeData.input(data, i)).output(layer);
            }
            int units = perImage[0].dim(1);
            int h = perImage[0].dim(2);
            int w = perImage[0].dim(3);
            LayerDissection ld = result.layer(layer);
            for (int k = 0; k < units; k++) {
                float[] all = new float[data.size() * h * w];
                for (int i = 0; i < data.size(); i++) {
                    System.arraycopy(perImage[i].data(), k * h * w, all, i * h * w, h * w);
                }
                Arrays.sort(all);
                float t = ld.units().get(k).threshold();
                worstRank = Math.max(worstRank, rankError(all, t, 1 - Q));
                float exactT = exactQuantile(all, 1 - Q);
                double[][] bruteWithT = bruteIou(data, perImage, k, t);
                double[][] bruteExactT = bruteIou(data, perImage, k, exactT);
                for (ConceptScore s : ld.units().get(k).bestPerCategory().values()) {
                    if (s == null) {
                        continue;
                    }
                    worstIou = Math.max(worstIou, Math.abs(s.iou() - bruteWithT[0][s.number()]));
                    worstIouExactT = Math.max(worstIouExactT, Math.abs(s.iou() - bruteExactT[0][s.number()]));
                }
                // the best concept's IoU is the maximum of the brute-force IoUs
                double bruteBest = Arrays.stream(bruteWithT[0]).max().orElse(0);
                assertEquals(bruteBest, ld.units().get(k).best().iou(), 1e-12, layer + " unit " + k);
            }
        }
        System.out.printf(Locale.ROOT, "exactness: max threshold rank error %.2e, max |IoU - brute| %.2e"
                + " (same T), %.2e (exact-quantile T)%n", worstRank, worstIou, worstIouExactT);
        assertTrue(worstRank <= 1e-3, "threshold rank error " + worstRank);
        assertTrue(worstIou <= 1e-4, "IoU error " + worstIou);
        assertTrue(worstIouExactT <= 1e-4, "IoU error vs exact-quantile threshold " + worstIouExactT);
    }

    /** Distance of {@code p} from the range of quantile ranks that {@code t} occupies in sorted {@code v}. */
    static double rankError(float[] sorted, float t, double p) {
        int below = 0;
        int atOrBelow = 0;
        for (float x : sorted) {
            below += x < t ? 1 : 0;
            atOrBelow += x <= t ? 1 : 0;
        }
        double n = sorted.length - 1;
        // t equal to some values occupies their ranks; t between two values, the ranks between them
        double lo = Math.max(0, below - 1) / n;
        double hi = (below == atOrBelow ? below : atOrBelow - 1) / n;
        return p < lo ? lo - p : p > hi ? p - hi : 0;
    }

    /** numpy's default linear quantile. */
    static float exactQuantile(float[] sorted, double p) {
        double r = p * (sorted.length - 1);
        int i = (int) Math.floor(r);
        int j = Math.min(i + 1, sorted.length - 1);
        return (float) (sorted[i] + (r - i) * ((double) sorted[j] - sorted[i]));
    }

    /** Brute-force IoU of unit k with every label number (index = label number), in result[0]. */
    static double[][] bruteIou(BrodenDataset data, Tensor[] perImage, int k, float t) {
        int maxLabel = data.labels().keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<String> cats = data.categories().stream().map(c -> c.name()).toList();
        long[] inter = new long[maxLabel + 1];
        long[] area = new long[maxLabel + 1];
        long[] actPerCat = new long[cats.size()];
        for (int i = 0; i < data.size(); i++) {
            ConceptSegmentation seg = data.segmentation(i);
            int sh = seg.height();
            int sw = seg.width();
            boolean[] mask = upsampleAndThreshold(perImage[i], k, sh, sw, t);
            int maskCount = 0;
            for (boolean m : mask) {
                maskCount += m ? 1 : 0;
            }
            boolean[] catPresent = new boolean[cats.size()];
            for (ConceptLabel label : data.labels().values()) {
                boolean[] lm = new boolean[sh * sw];
                for (String c : cats) {
                    boolean[] m = seg.mask(c, label.number());
                    for (int p = 0; p < lm.length; p++) {
                        lm[p] |= m[p];
                    }
                }
                long a = 0;
                long in = 0;
                for (int p = 0; p < lm.length; p++) {
                    if (lm[p]) {
                        a++;
                        if (mask[p]) {
                            in++;
                        }
                    }
                }
                area[label.number()] += a;
                inter[label.number()] += in;
                if (a > 0) {
                    catPresent[cats.indexOf(primary(label, cats))] = true;
                }
            }
            for (int c = 0; c < cats.size(); c++) {
                if (catPresent[c]) {
                    actPerCat[c] += maskCount;
                }
            }
        }
        double[] iou = new double[maxLabel + 1];
        for (ConceptLabel label : data.labels().values()) {
            int n = label.number();
            if (label.categoryFrequencies().isEmpty()) {
                continue;
            }
            long union = actPerCat[cats.indexOf(primary(label, cats))] + area[n] - inter[n];
            iou[n] = union == 0 ? 0 : (double) inter[n] / union;
        }
        return new double[][] {iou};
    }

    static String primary(ConceptLabel label, List<String> cats) {
        String best = null;
        int f = 0;
        for (String c : cats) {
            int v = label.categoryFrequencies().getOrDefault(c, 0);
            if (v > f) {
                f = v;
                best = c;
            }
        }
        return best;
    }

    /** PyTorch bilinear, align_corners=False, written out per pixel. */
    static boolean[] upsampleAndThreshold(Tensor a, int k, int sh, int sw, float t) {
        int h = a.dim(2);
        int w = a.dim(3);
        boolean[] mask = new boolean[sh * sw];
        for (int y = 0; y < sh; y++) {
            double sy = Math.max(0, (y + 0.5) * h / sh - 0.5);
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int x = 0; x < sw; x++) {
                double sx = Math.max(0, (x + 0.5) * w / sw - 0.5);
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, w - 1);
                double fx = sx - x0;
                double v = (1 - fy) * ((1 - fx) * a.get(0, k, y0, x0) + fx * a.get(0, k, y0, x1))
                        + fy * ((1 - fx) * a.get(0, k, y1, x0) + fx * a.get(0, k, y1, x1));
                mask[y * sw + x] = (float) v > t;
            }
        }
        return mask;
    }
}
