package dev.netlens.core.graph;

import dev.netlens.core.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * When a forward pass needs position-uniform convolutions
 * ({@link dev.netlens.core.kernels.UniformConvolutions}) to keep exact ties exact: the graph decides
 * by a maximum somewhere (max pooling, a max or min reduction, an element-wise max or min) and an
 * input image has a flat patch — 2×2 neighbouring pixels equal in every channel.
 *
 * <p>Why. Over a flat region of an image (a synthetic figure, a letterbox, the blank background of
 * a digit or a garment) equal receptive fields give equal pre-activations in exact arithmetic, so
 * the max-pool windows there are ties that go to each window's first element — in float64, and in
 * PyTorch's float32 as well. The fast kernels (Winograd tiles, OpenBLAS edge micro-kernels) round
 * equal receptive fields differently by position, which turns the ties into near-ties won by
 * rounding, and the gradient goes elsewhere. Measured on torchvision's VGG11-bn (random weights,
 * BatchNorm folded) with a piecewise-constant 224×224 image: relative L2 distance 2.3e-1 between
 * netlens' input gradient and float64 PyTorch's, while PyTorch's own float32 gradient is 5.7e-7
 * away. Inputs without flat patches, and graphs without a maximum, keep the fast kernels.
 *
 * <p>Near-ties are another matter: pixels that differ by a few units in the last place of float32
 * (the anti-aliased edges of skimage's astronaut photo) give pre-activations that differ below
 * float32's resolution, and no float32 implementation follows float64 there (README).
 */
public final class ExactTies {
    /** Op types whose forward pass picks one of several inputs by their values. */
    private static final Set<String> DECIDING = Set.of("MaxPool", "GlobalMaxPool", "ReduceMax", "ReduceMin", "Max",
            "Min");

    private ExactTies() {
    }

    /** Whether a pass of {@code graph} on {@code input} needs uniform convolutions (see the class comment). */
    public static boolean needed(Graph graph, Tensor input) {
        return decidesByMaximum(graph) && hasFlatPatch(input);
    }

    /** Whether the graph has an op that decides by a maximum or minimum ({@link #DECIDING}). */
    public static boolean decidesByMaximum(Graph graph) {
        for (Node n : graph.nodes()) {
            if (DECIDING.contains(n.op().type())) {
                return true;
            }
        }
        return false;
    }

    static boolean anyFlatPatch(Map<String, Tensor> inputs) {
        for (Tensor t : inputs.values()) {
            if (t != null && hasFlatPatch(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an [N, C, H, W] tensor has, in some image, pixels (y, x), (y, x + 1), (y + 1, x) and
     * (y + 1, x + 1) equal in every channel, bit for bit. Tensors of another rank have none.
     */
    public static boolean hasFlatPatch(Tensor t) {
        int[] s = t.shape();
        if (s.length != 4 || s[2] < 2 || s[3] < 2) {
            return false;
        }
        int c = s[1];
        int w = s[3];
        int plane = s[2] * w;
        float[] d = t.data();
        for (int n = 0; n < s[0]; n++) {
            int image = n * c * plane;
            for (int y = 0; y + 1 < s[2]; y++) {
                for (int x = 0; x + 1 < w; x++) {
                    int at = image + y * w + x;
                    if (flatAt(d, at, w) && flatInEveryChannel(d, at, w, c, plane)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean flatInEveryChannel(float[] d, int at, int w, int c, int plane) {
        for (int k = 1; k < c; k++) {
            if (!flatAt(d, at + k * plane, w)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the 2×2 patch from {@code at} holds one value (bit for bit; NaN never counts). */
    private static boolean flatAt(float[] d, int at, int w) {
        int v = Float.floatToRawIntBits(d[at]);
        return v == Float.floatToRawIntBits(d[at + 1]) && v == Float.floatToRawIntBits(d[at + w])
                && v == Float.floatToRawIntBits(d[at + w + 1]) && !Float.isNaN(d[at]);
    }
}
