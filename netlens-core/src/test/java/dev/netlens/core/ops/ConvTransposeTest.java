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

class ConvTransposeTest {

    /** Scatter form of the transposed convolution, in double: the reference. */
    static Tensor naive(Tensor x, Tensor w, Tensor b, int[] s, int[] d, int[] p, int[] op, int group) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
        int mg = w.dim(1), kh = w.dim(2), kw = w.dim(3);
        int cg = c / group;
        int m = mg * group;
        int oh = s[0] * (h - 1) + op[0] + (kh - 1) * d[0] + 1 - p[0] - p[2];
        int ow = s[1] * (wd - 1) + op[1] + (kw - 1) * d[1] + 1 - p[1] - p[3];
        double[] acc = new double[n * m * oh * ow];
        for (int in = 0; in < n; in++) {
            for (int ic = 0; ic < c; ic++) {
                int grp = ic / cg;
                for (int iy = 0; iy < h; iy++) {
                    for (int ix = 0; ix < wd; ix++) {
                        double v = x.get(in, ic, iy, ix);
                        for (int om = 0; om < mg; om++) {
                            for (int ki = 0; ki < kh; ki++) {
                                for (int kj = 0; kj < kw; kj++) {
                                    int oy = iy * s[0] - p[0] + ki * d[0];
                                    int ox = ix * s[1] - p[1] + kj * d[1];
                                    if (oy >= 0 && oy < oh && ox >= 0 && ox < ow) {
                                        int mo = grp * mg + om;
                                        acc[((in * m + mo) * oh + oy) * ow + ox] += v * w.get(ic, om, ki, kj);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        Tensor y = Tensor.zeros(n, m, oh, ow);
        for (int i = 0; i < acc.length; i++) {
            y.data()[i] = (float) (acc[i] + (b == null ? 0 : b.data()[(i / (oh * ow)) % m]));
        }
        return y;
    }

    @Test
    void forwardMatchesScatterReference() {
        RandomCases.forAll("conv-transpose forward = scatter reference", 60, 2000, r -> {
            int groups = between(r, 1, 2);
            int c = groups * between(r, 1, 3);
            int mg = between(r, 1, 3);
            int kh = between(r, 1, 4);
            int kw = between(r, 1, 3);
            int[] s = {between(r, 1, 3), between(r, 1, 2)};
            int[] d = {between(r, 1, 2), 1};
            int[] op = {r.nextInt(s[0]), r.nextInt(s[1])};
            int[] p = {between(r, 0, 1), between(r, 0, 1), between(r, 0, 1), 0};
            Tensor x = Tensor.randomNormal(r, 1f, between(r, 1, 2), c, between(r, 2, 5), between(r, 2, 5));
            Tensor w = Tensor.randomNormal(r, 1f, c, mg, kh, kw);
            Tensor b = r.nextBoolean() ? Tensor.randomNormal(r, 1f, mg * groups) : null;
            ConvTranspose ct = ConvTranspose.builder().strides(s).dilations(d).pads(p).outputPadding(op)
                    .group(groups).build();
            Tensor expected = naive(x, w, b, s, d, p, op, groups);
            for (Kernels k : BOTH) {
                assertClose(expected, OpHarness.run(ct, k, x, w, b), 1e-5, 1e-5, "conv-transpose " + k.name());
            }
        });
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(11);
        Tensor x = Tensor.randomNormal(r, 1f, 2, 4, 3, 4);
        Tensor w = Tensor.randomNormal(r, 1f, 4, 3, 3, 3);
        Tensor b = Tensor.randomNormal(r, 1f, 6);
        ConvTranspose ct = ConvTranspose.builder().strides(2, 2).pads(1, 1, 1, 1).outputPadding(1, 0).group(2).build();
        for (Kernels k : BOTH) {
            OpHarness.checkGradients(ct, OpHarness.gradCheck().kernels(k), x, w, b);
        }
        // Depthwise transposed convolution (one channel per group).
        ConvTranspose dw = ConvTranspose.builder().strides(2, 2).group(4).build();
        OpHarness.checkGradients(dw, OpHarness.gradCheck(), x, Tensor.randomNormal(r, 1f, 4, 1, 2, 2));
    }

    @Test
    void outputShapeAndAutoPad() {
        SplittableRandom r = new SplittableRandom(13);
        Tensor x = Tensor.randomNormal(r, 1f, 1, 2, 3, 3);
        Tensor w = Tensor.randomNormal(r, 1f, 2, 1, 3, 3);
        // Full extent 2*(3-1)+3 = 7; output_shape 6 → total pad 1 → (1 begin, 0 end) for NOTSET.
        Tensor y = OpHarness.run(ConvTranspose.builder().strides(2, 2).outputShape(6, 6).build(), x, w);
        assertTrue(y.hasShape(1, 1, 6, 6));
        assertClose(naive(x, w, null, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1, 0, 0}, new int[] {0, 0}, 1),
                y, 1e-5, 1e-5, "output_shape");
        // SAME_UPPER: output = in * stride = 6, pads (0 begin, 1 end).
        Tensor same = OpHarness.run(ConvTranspose.builder().strides(2, 2).autoPad(AutoPad.SAME_UPPER).build(), x, w);
        assertClose(naive(x, w, null, new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0, 1, 1}, new int[] {0, 0}, 1),
                same, 1e-5, 1e-5, "SAME_UPPER");
    }

    @Test
    void oneDimensional() {
        SplittableRandom r = new SplittableRandom(17);
        Tensor x = Tensor.randomNormal(r, 1f, 2, 3, 5);
        Tensor w = Tensor.randomNormal(r, 1f, 3, 2, 4);
        ConvTranspose ct = ConvTranspose.builder().strides(3).pads(1, 2).build();
        Tensor y = OpHarness.run(ct, x, w);
        Tensor expected = naive(x.reshape(2, 3, 1, 5), w.reshape(3, 2, 1, 4), null, new int[] {1, 3}, new int[] {1, 1},
                new int[] {0, 1, 0, 2}, new int[] {0, 0}, 1);
        assertClose(expected.reshape(y.shape()), y, 1e-5, 1e-5, "conv-transpose 1d");
        OpHarness.checkGradients(ct, OpHarness.gradCheck(), x, w);
    }

    @Test
    void rejectsChannelMismatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                OpHarness.run(ConvTranspose.builder().build(), Tensor.zeros(1, 3, 4, 4), Tensor.zeros(2, 2, 3, 3)));
        assertTrue(e.getMessage().contains("3 channels"), e.getMessage());
    }
}
