package dev.netlens.core.ops;

import static dev.netlens.core.ops.OpHarness.BOTH;
import static dev.netlens.core.ops.OpHarness.assertClose;
import static dev.netlens.core.ops.RandomCases.between;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.kernels.Kernels;
import dev.netlens.core.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvTest {

    /** Direct 7-loop convolution in double precision: the reference. */
    static Tensor naiveConv2d(Tensor x, Tensor w, Tensor b, int[] s, int[] d, int[] p, int group) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
        int m = w.dim(0), cg = w.dim(1), kh = w.dim(2), kw = w.dim(3);
        int oh = (h + p[0] + p[2] - d[0] * (kh - 1) - 1) / s[0] + 1;
        int ow = (wd + p[1] + p[3] - d[1] * (kw - 1) - 1) / s[1] + 1;
        int mg = m / group;
        Tensor y = Tensor.zeros(n, m, oh, ow);
        for (int in = 0; in < n; in++) {
            for (int om = 0; om < m; om++) {
                int grp = om / mg;
                for (int y0 = 0; y0 < oh; y0++) {
                    for (int x0 = 0; x0 < ow; x0++) {
                        double acc = b == null ? 0 : b.get(om);
                        for (int ic = 0; ic < cg; ic++) {
                            for (int ki = 0; ki < kh; ki++) {
                                for (int kj = 0; kj < kw; kj++) {
                                    int iy = y0 * s[0] - p[0] + ki * d[0];
                                    int ix = x0 * s[1] - p[1] + kj * d[1];
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                        acc += (double) x.get(in, grp * cg + ic, iy, ix) * w.get(om, ic, ki, kj);
                                    }
                                }
                            }
                        }
                        y.set((float) acc, in, om, y0, x0);
                    }
                }
            }
        }
        return y;
    }

    @Test
    void forwardMatchesNaiveReference() {
        RandomCases.forAll("conv forward = naive reference", 80, 1000, r -> {
            int batch = between(r, 1, 2);
            int groups = between(r, 1, 3);
            int cPerGroup = between(r, 1, 3);
            int mPerGroup = between(r, 1, 3);
            int kh = between(r, 1, 3);
            int kw = between(r, 1, 3);
            int[] strides = {between(r, 1, 3), between(r, 1, 3)};
            int[] dil = {between(r, 1, 2), between(r, 1, 2)};
            int[] pads = {between(r, 0, 2), between(r, 0, 2), between(r, 0, 2), between(r, 0, 2)};
            int h = between(r, 4, 9);
            int w = between(r, 4, 9);
            boolean bias = r.nextBoolean();
            Tensor x = Tensor.randomNormal(r, 1f, batch, groups * cPerGroup, h, w);
            Tensor wt = Tensor.randomNormal(r, 1f, groups * mPerGroup, cPerGroup, kh, kw);
            Tensor b = bias ? Tensor.randomNormal(r, 1f, groups * mPerGroup) : null;
            Conv conv = Conv.builder().strides(strides).dilations(dil).pads(pads).group(groups).build();
            if (h + pads[0] + pads[2] - dil[0] * (kh - 1) - 1 < 0 || w + pads[1] + pads[3] - dil[1] * (kw - 1) - 1 < 0) {
                assertThrows(IllegalArgumentException.class, () -> OpHarness.run(conv, x, wt, b));
                return;
            }
            Tensor expected = naiveConv2d(x, wt, b, strides, dil, pads, groups);
            for (Kernels k : BOTH) {
                Tensor y = OpHarness.run(conv, k, x, wt, b);
                assertClose(expected, y, 1e-5, 1e-5, "conv " + k.name());
            }
        });
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(3);
        int[][] configs = {
            // groups, cPerGroup, mPerGroup, k, stride, dilation, pad
            {1, 3, 4, 3, 1, 1, 1},
            {1, 2, 3, 3, 2, 1, 1},
            {2, 2, 2, 3, 1, 2, 2},
            {4, 1, 1, 3, 1, 1, 1}, // depthwise
            {1, 3, 2, 1, 1, 1, 0}, // pointwise
            {1, 2, 2, 2, 2, 1, 0},
        };
        for (int[] c : configs) {
            Tensor x = Tensor.randomNormal(r, 1f, 2, c[0] * c[1], 7, 6);
            Tensor w = Tensor.randomNormal(r, 1f, c[0] * c[2], c[1], c[3], c[3]);
            Tensor b = Tensor.randomNormal(r, 1f, c[0] * c[2]);
            Conv conv = Conv.builder().strides(c[4], c[4]).dilations(c[5], c[5]).pads(c[6], c[6], c[6], c[6])
                    .group(c[0]).build();
            for (Kernels k : BOTH) {
                OpHarness.checkGradients(conv, OpHarness.gradCheck().kernels(k), x, w, b);
            }
        }
    }

    @Test
    void asymmetricPaddingAndAutoPad() {
        SplittableRandom r = new SplittableRandom(5);
        Tensor x = Tensor.randomNormal(r, 1f, 1, 2, 7, 8);
        Tensor w = Tensor.randomNormal(r, 1f, 3, 2, 3, 2);
        Conv asym = Conv.builder().pads(0, 1, 2, 0).strides(2, 1).build();
        assertClose(naiveConv2d(x, w, null, new int[] {2, 1}, new int[] {1, 1}, new int[] {0, 1, 2, 0}, 1),
                OpHarness.run(asym, x, w), 1e-5, 1e-5, "asymmetric pads");
        // SAME_UPPER with stride 2 on 7x8, kernel 3x2: out 4x4; total pads h=2 (1,1), w=0.
        Conv same = Conv.builder().autoPad(AutoPad.SAME_UPPER).strides(2, 2).build();
        Tensor y = OpHarness.run(same, x, w);
        assertTrue(y.hasShape(1, 3, 4, 4));
        assertClose(naiveConv2d(x, w, null, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 0, 1, 0}, 1),
                y, 1e-5, 1e-5, "SAME_UPPER");
        OpHarness.checkGradients(asym, OpHarness.gradCheck(), x, w);
    }

    @Test
    void oneDimensionalConvolution() {
        SplittableRandom r = new SplittableRandom(7);
        Tensor x = Tensor.randomNormal(r, 1f, 2, 3, 11);
        Tensor w = Tensor.randomNormal(r, 1f, 4, 3, 3);
        Tensor b = Tensor.randomNormal(r, 1f, 4);
        Conv conv = Conv.builder().strides(2).pads(1, 2).dilations(2).build();
        Tensor y = OpHarness.run(conv, x, w, b);
        Tensor expected = naiveConv2d(x.reshape(2, 3, 1, 11), w.reshape(4, 3, 1, 3), b, new int[] {1, 2},
                new int[] {1, 2}, new int[] {0, 1, 0, 2}, 1);
        assertClose(expected.reshape(y.shape()), y, 1e-5, 1e-5, "conv1d");
        OpHarness.checkGradients(conv, OpHarness.gradCheck(), x, w, b);
    }

    @Test
    void kernelsAgreeOnLargerLayer() {
        SplittableRandom r = new SplittableRandom(9);
        Tensor x = Tensor.randomNormal(r, 1f, 2, 16, 20, 20);
        Tensor w = Tensor.randomNormal(r, 0.1f, 32, 16, 3, 3);
        Tensor b = Tensor.randomNormal(r, 1f, 32);
        OpHarness.assertKernelsAgree(Conv.of(1, 1), 1, x, w, b);
        OpHarness.assertKernelsAgree(Conv.of(2, 1), 1, x, w, b);
        OpHarness.assertKernelsAgree(Conv.builder().group(4).pads(1, 1, 1, 1).build(), 1, x,
                Tensor.randomNormal(r, 0.1f, 32, 4, 3, 3), b);
    }

    @Test
    void badShapesAreRejectedWithClearMessages() {
        Tensor x = Tensor.zeros(1, 3, 8, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpHarness.run(Conv.of(1, 1), x, Tensor.zeros(4, 2, 3, 3)));
        assertTrue(e.getMessage().contains("3 channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OpHarness.run(Conv.of(1, 0), x, Tensor.zeros(4, 3, 9, 9)));
        assertTrue(e.getMessage().contains("empty output"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OpHarness.run(Conv.of(1, 1), x, Tensor.zeros(4, 3, 3, 3), Tensor.zeros(5)));
        assertTrue(e.getMessage().contains("bias"), e.getMessage());
    }
}
