package dev.netlens.core.ops;

import static dev.netlens.core.ops.MaxPoolTest.assertMessage;
import static dev.netlens.core.ops.OpHarness.BOTH;
import static dev.netlens.core.ops.OpHarness.assertClose;
import static dev.netlens.core.ops.RandomCases.between;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LrnTest {

    /** The ONNX formula in double: window [c − ⌊(size−1)/2⌋, c + ⌈(size−1)/2⌉]. */
    static Tensor reference(Tensor x, int size, double alpha, double beta, double bias) {
        int[] s = x.shape();
        int n = s[0], c = s[1], area = Shapes.size(s, 2, s.length);
        Tensor y = Tensor.zerosLike(x);
        int lo = (int) Math.floor((size - 1) / 2.0);
        int hi = (int) Math.ceil((size - 1) / 2.0);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < area; p++) {
                    double sq = 0;
                    for (int j = Math.max(0, ch - lo); j <= Math.min(c - 1, ch + hi); j++) {
                        double v = x.data()[(b * c + j) * area + p];
                        sq += v * v;
                    }
                    int i = (b * c + ch) * area + p;
                    y.data()[i] = (float) (x.data()[i] / Math.pow(bias + alpha / size * sq, beta));
                }
            }
        }
        return y;
    }

    private static int[] randomShape(SplittableRandom r) {
        int rank = between(r, 2, 4);
        int[] shape = new int[rank];
        shape[0] = between(r, 1, 2);
        shape[1] = between(r, 1, 8);
        for (int i = 2; i < rank; i++) {
            shape[i] = between(r, 1, 4);
        }
        return shape;
    }

    private static Lrn random(SplittableRandom r) {
        float beta = r.nextBoolean() ? 0.75f : (float) (0.3 + r.nextDouble());
        return Lrn.builder().size(between(r, 1, 6)).alpha((float) (0.05 + r.nextDouble())).beta(beta)
                .bias((float) (0.5 + 1.5 * r.nextDouble())).build();
    }

    @Test
    void forwardMatchesNaiveReference() {
        RandomCases.forAll("LRN forward = naive reference", 50, 8000, r -> {
            Lrn lrn = random(r);
            Tensor x = Tensor.randomNormal(r, 1.5f, randomShape(r));
            Tensor expected = reference(x, lrn.size(), lrn.alpha(), lrn.beta(), lrn.bias());
            for (Kernels k : BOTH) {
                assertClose(expected, OpHarness.run(lrn, k, x), 1e-5, 1e-6, lrn + " " + k.name());
            }
        });
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        RandomCases.forAll("LRN VJP = finite differences", 20, 9000, r -> {
            Lrn lrn = random(r);
            Tensor x = Tensor.randomNormal(r, 1f, randomShape(r));
            OpHarness.checkGradients(lrn, OpHarness.gradCheck().maxElements(64), x);
        });
        // ONNX defaults too (y ≈ x, the cross term is tiny but present).
        Tensor x = Tensor.randomNormal(new SplittableRandom(4), 3f, 2, 7, 3, 3);
        OpHarness.checkGradients(Lrn.of(5), OpHarness.gradCheck().kernels(OpHarness.JAVA), x);
    }

    @Test
    void handComputedCases() {
        // alpha/size = 1, beta = 1, bias = 1: y[c] = x[c] / (1 + Σ window x²).
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 1, 3, 1, 1);
        Lrn odd = Lrn.builder().size(3).alpha(3).beta(1).bias(1).build();
        assertArrayEquals(new float[] {1f / 6, 2f / 15, 3f / 14}, OpHarness.run(odd, x).data(), 1e-7f);
        // Even size 2: ONNX's window is [c, c + 1].
        Lrn even = Lrn.builder().size(2).alpha(2).beta(1).bias(1).build();
        assertArrayEquals(new float[] {1f / 6, 2f / 14, 3f / 10}, OpHarness.run(even, x).data(), 1e-7f);
        // Rank 2 input [N, C].
        assertArrayEquals(new float[] {1f / 6, 2f / 15, 3f / 14}, OpHarness.run(odd, x.reshape(1, 3)).data(), 1e-7f);
    }

    @Test
    void kernelsAgreeAndDescription() {
        Tensor x = Tensor.randomNormal(new SplittableRandom(23), 2f, 2, 24, 13, 13);
        OpHarness.assertKernelsAgree(Lrn.builder().size(5).alpha(1e-3f).build(), 1, x);
        Lrn lrn = Lrn.of(5);
        assertEquals("LRN", lrn.type());
        assertEquals(OpCategory.NORMALIZATION, lrn.category());
        assertTrue(lrn.retainsInput(0));
        assertEquals("LRN(size=5, alpha=1.0E-4, beta=0.75, bias=1.0)", lrn.toString());
        assertEquals(5, lrn.attributes().get("size"));
        assertEquals(0.75f, lrn.attributes().get("beta"));
    }

    @Test
    void badAttributesAndShapesAreRejectedWithClearMessages() {
        assertMessage(() -> Lrn.builder().alpha(1).build(), "LRN needs the size attribute");
        assertMessage(() -> Lrn.of(0), "LRN size must be >= 1, got 0");
        assertMessage(() -> Lrn.builder().size(3).beta(Float.NaN).build(), "must be finite");
        assertMessage(() -> OpHarness.run(Lrn.of(3), Tensor.zeros(4)), "rank >= 2");
    }
}
