package dev.netlens.core.ops;

import static dev.netlens.core.ops.OpHarness.assertBitIdentical;
import static dev.netlens.core.ops.OpHarness.assertClose;
import static dev.netlens.core.ops.RandomCases.between;
import static dev.netlens.core.ops.ShapeOpTesting.assertInvalid;
import static dev.netlens.core.ops.ShapeOpTesting.assertRejected;
import static dev.netlens.core.ops.ShapeOpTesting.forEachIndex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResizeTest {
    private static final String[] COORDINATE_MODES = {"half_pixel", "half_pixel_symmetric", "pytorch_half_pixel",
        "align_corners", "asymmetric", "tf_half_pixel_for_nearest"};
    private static final String[] NEAREST_MODES = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
    private static final float[] SCALES = {0.25f, 0.4f, 0.5f, 0.6f, 0.75f, 1f, 1.25f, 1.5f, 2f, 2.5f, 3f, 1f / 3};

    /** Geometry of the reference: per axis the output length and the inverse scale num/den (input per output). */
    record Geometry(int[] out, double[] num, double[] den) {
        static Geometry ofScales(int[] in, float[] scales) {
            int r = in.length;
            int[] out = new int[r];
            double[] num = new double[r];
            double[] den = new double[r];
            for (int d = 0; d < r; d++) {
                out[d] = (int) Math.floor(in[d] * (double) scales[d]);
                num[d] = 1;
                den[d] = scales[d];
            }
            return new Geometry(out, num, den);
        }

        static Geometry ofSizes(int[] in, int[] sizes) {
            int r = in.length;
            double[] num = new double[r];
            double[] den = new double[r];
            for (int d = 0; d < r; d++) {
                num[d] = in[d];
                den[d] = sizes[d];
            }
            return new Geometry(sizes.clone(), num, den);
        }
    }

    /** The ONNX coordinate transformation, transcribed from the operator text (scale = den/num). */
    static double inputCoordinate(String mode, int x, int in, int out, double num, double den) {
        switch (mode) {
            case "half_pixel":
                return (x + 0.5) * num / den - 0.5;
            case "half_pixel_symmetric": {
                double outputWidth = in * den / num; // scale · input length, before rounding
                double adjustment = out / outputWidth;
                double center = in / 2.0;
                double offset = center * (1 - adjustment);
                return offset + (x + 0.5) * num / den - 0.5;
            }
            case "pytorch_half_pixel":
                return out > 1 ? (x + 0.5) * num / den - 0.5 : 0;
            case "align_corners":
                return out == 1 ? 0 : x * (double) (in - 1) / (out - 1);
            case "asymmetric":
                return x * num / den;
            case "tf_half_pixel_for_nearest":
                return (x + 0.5) * num / den;
            default:
                throw new AssertionError(mode);
        }
    }

    static int nearestIndex(String nearestMode, double c, int in) {
        double f = Math.floor(c);
        int i = switch (nearestMode) {
            case "round_prefer_floor" -> (int) (c - f == 0.5 ? f : Math.round(c));
            case "round_prefer_ceil" -> (int) (c - f == 0.5 ? f + 1 : Math.round(c));
            case "floor" -> (int) f;
            case "ceil" -> (int) Math.ceil(c);
            default -> throw new AssertionError(nearestMode);
        };
        return Math.max(0, Math.min(in - 1, i));
    }

    /** Per output element: the input elements and weights it combines (nearest: one; linear: 2^r corners). */
    interface Visitor {
        void visit(int[] outIndex, int[] inIndex, double weight);
    }

    static void interpolate(int[] in, Geometry g, String mode, String coord, String nearestMode, Visitor v) {
        int r = in.length;
        forEachIndex(g.out, idx -> {
            double[] c = new double[r];
            for (int d = 0; d < r; d++) {
                c[d] = inputCoordinate(coord, idx[d], in[d], g.out[d], g.num[d], g.den[d]);
            }
            if (mode.equals("nearest")) {
                int[] src = new int[r];
                for (int d = 0; d < r; d++) {
                    src[d] = nearestIndex(nearestMode, c[d], in[d]);
                }
                v.visit(idx, src, 1);
                return;
            }
            for (int corner = 0; corner < 1 << r; corner++) {
                int[] src = new int[r];
                double w = 1;
                for (int d = 0; d < r; d++) {
                    double cd = Math.max(0, Math.min(in[d] - 1, c[d]));
                    int lo = (int) Math.floor(cd);
                    double frac = cd - lo;
                    boolean high = (corner >> d & 1) == 1;
                    src[d] = high ? Math.min(lo + 1, in[d] - 1) : lo;
                    w *= high ? frac : 1 - frac;
                }
                v.visit(idx, src, w);
            }
        });
    }

    static Tensor naiveResize(Tensor x, Geometry g, String mode, String coord, String nearestMode) {
        double[] acc = new double[Math.max(1, Tensor.zeros(g.out).size())];
        int[] strides = dev.netlens.core.tensor.Shapes.strides(g.out);
        interpolate(x.shape(), g, mode, coord, nearestMode, (o, i, w) -> {
            int flat = 0;
            for (int d = 0; d < o.length; d++) {
                flat += o[d] * strides[d];
            }
            acc[flat] += w * x.get(i);
        });
        Tensor y = Tensor.zeros(g.out);
        for (int k = 0; k < y.size(); k++) {
            y.data()[k] = (float) acc[k];
        }
        return y;
    }

    static Tensor naiveResizeAdjoint(Tensor gy, int[] in, Geometry g, String mode, String coord, String nearestMode) {
        Tensor gx = Tensor.zeros(in);
        double[] acc = new double[gx.size()];
        int[] strides = dev.netlens.core.tensor.Shapes.strides(in);
        interpolate(in, g, mode, coord, nearestMode, (o, i, w) -> {
            int flat = 0;
            for (int d = 0; d < i.length; d++) {
                flat += i[d] * strides[d];
            }
            acc[flat] += w * gy.get(o);
        });
        for (int k = 0; k < acc.length; k++) {
            gx.data()[k] = (float) acc[k];
        }
        return gx;
    }

    // ------------------------------------------------------------------ goldens

    @Test
    void matchesPyTorchInterpolateAndItsGradients() {
        List<ResizeGoldens.Case> cases = ResizeGoldens.load("/goldens/resize_torch.txt");
        assertTrue(cases.size() >= 30, "golden cases: " + cases.size());
        for (ResizeGoldens.Case c : cases) {
            Resize op = c.op();
            Tensor x = c.tensors().get("x");
            Tensor y = ShapeOpTesting.forward(op, 1, x)[0];
            Tensor gx = ShapeOpTesting.vjp(op, c.tensors().get("gy"), x);
            if (op.mode() == Resize.Mode.NEAREST) {
                assertBitIdentical(c.tensors().get("y"), y, c.name());
                assertClose(c.tensors().get("gx"), gx, 1e-6, 1e-6, c.name() + " gradient");
            } else {
                assertClose(c.tensors().get("y"), y, 1e-6, 1e-6, c.name());
                assertClose(c.tensors().get("gx"), gx, 1e-6, 1e-5, c.name() + " gradient");
            }
        }
    }

    @Test
    void matchesOnnxBackendTestVectors() {
        List<ResizeGoldens.Case> cases = ResizeGoldens.load("/goldens/resize_onnx.txt");
        assertTrue(cases.size() >= 10, "ONNX cases: " + cases.size());
        for (ResizeGoldens.Case c : cases) {
            Tensor y = ShapeOpTesting.forward(c.op(), 1, c.tensors().get("x"))[0];
            if (c.name().equals("onnx_test_resize_downsample_scales_linear_align_corners")) {
                // ONNX's reference takes length_resized = 4 · 0.6 = 2.4 here, so x = 1 maps to 3/1.4; the
                // operator text (length of the resized tensor, 2) and PyTorch map it to 3.
                assertClose(Tensor.of(new float[] {1, 4}, 1, 1, 1, 2), y, 1e-6, 1e-6, c.name());
                continue;
            }
            assertClose(c.tensors().get("y"), y, 1e-6, 1e-6, c.name());
        }
    }

    // ------------------------------------------------------------------ reference

    @Test
    void fourDimensionalCasesMatchTheReference() {
        RandomCases.forAll("resize NCHW = reference", 50, 1000, r -> {
            int[] in = {between(r, 1, 2), between(r, 1, 2), between(r, 1, 6), between(r, 1, 6)};
            String mode = r.nextBoolean() ? "nearest" : "linear";
            String coord = COORDINATE_MODES[r.nextInt(COORDINATE_MODES.length)];
            String nearestMode = NEAREST_MODES[r.nextInt(NEAREST_MODES.length)];
            Resize.Builder b = Resize.builder().mode(mode).coordinateTransformationMode(coord).nearestMode(nearestMode);
            Geometry g;
            if (r.nextBoolean()) {
                float[] scales = {1, 1, SCALES[r.nextInt(SCALES.length)], SCALES[r.nextInt(SCALES.length)]};
                g = Geometry.ofScales(in, scales);
                b.scales(scales);
            } else {
                int[] sizes = {in[0], in[1], between(r, 1, 9), between(r, 1, 9)};
                g = Geometry.ofSizes(in, sizes);
                b.sizes(sizes);
            }
            Resize op = b.build();
            Tensor x = Tensor.randomNormal(r, 1f, in);
            if (g.out[2] == 0 || g.out[3] == 0) {
                assertRejected(op, 1, new Tensor[] {x}, "Resize", "empty output");
                return;
            }
            Tensor y = ShapeOpTesting.forward(op, 1, x)[0];
            assertClose(naiveResize(x, g, mode, coord, nearestMode), y, 1e-6, 1e-6, op.toString());
            Tensor seed = Tensor.randomNormal(r, 1f, y.shape());
            assertClose(naiveResizeAdjoint(seed, in, g, mode, coord, nearestMode), ShapeOpTesting.vjp(op, seed, x),
                    1e-6, 1e-5, "gradient of " + op);
        });
    }

    @Test
    void anyRankAndAnyAxesMatchTheReference() {
        RandomCases.forAll("resize N-D = reference", 30, 2000, r -> {
            int rank = between(r, 1, 5);
            int[] in = ShapeOpTesting.randomShape(r, rank, 1, rank > 3 ? 3 : 5);
            String mode = r.nextBoolean() ? "nearest" : "linear";
            String coord = COORDINATE_MODES[r.nextInt(COORDINATE_MODES.length)];
            String nearestMode = NEAREST_MODES[r.nextInt(NEAREST_MODES.length)];
            int[] sizes = new int[rank];
            for (int d = 0; d < rank; d++) {
                sizes[d] = r.nextInt(3) == 0 ? in[d] : between(r, 1, 6);
            }
            Resize op = Resize.builder().mode(mode).coordinateTransformationMode(coord).nearestMode(nearestMode)
                    .sizes(sizes).build();
            Tensor x = Tensor.randomNormal(r, 1f, in);
            Geometry g = Geometry.ofSizes(in, sizes);
            Tensor y = ShapeOpTesting.forward(op, 1, x)[0];
            assertClose(naiveResize(x, g, mode, coord, nearestMode), y, 1e-6, 1e-6, op.toString());
            Tensor seed = Tensor.randomNormal(r, 1f, y.shape());
            assertClose(naiveResizeAdjoint(seed, in, g, mode, coord, nearestMode), ShapeOpTesting.vjp(op, seed, x),
                    1e-6, 1e-5, "gradient of " + op);
        });
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(12);
        Tensor x = Tensor.randomNormal(r, 1f, 1, 2, 4, 5);
        for (String mode : new String[] {"nearest", "linear"}) {
            for (String coord : new String[] {"half_pixel", "align_corners", "asymmetric"}) {
                ShapeOpTesting.checkLinearGradients(Resize.builder().mode(mode).coordinateTransformationMode(coord)
                        .scales(1, 1, 1.5f, 0.6f).build(), 1, x);
                ShapeOpTesting.checkLinearGradients(Resize.builder().mode(mode).coordinateTransformationMode(coord)
                        .sizes(1, 2, 7, 2).build(), 1, x);
            }
        }
        ShapeOpTesting.checkLinearGradients(Resize.builder().mode("linear").sizes(2, 3, 5).build(), 1,
                Tensor.randomNormal(r, 1f, 3, 2, 4));
    }

    // ------------------------------------------------------------------ exact cases

    @Test
    void handComputedCases() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        // Nearest, asymmetric + floor, scale 2: each pixel repeated 2x2.
        Resize up = Resize.builder().coordinateTransformationMode("asymmetric").nearestMode("floor")
                .scales(1, 1, 2, 2).build();
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                ShapeOpTesting.forward(up, 1, x)[0].data());
        // Its VJP sums each 2x2 block.
        Tensor g = ShapeOpTesting.vjp(up, ShapeOpTesting.iota(1, 1, 4, 4), x);
        assertArrayEquals(new float[] {0 + 1 + 4 + 5, 2 + 3 + 6 + 7, 8 + 9 + 12 + 13, 10 + 11 + 14 + 15}, g.data());
        // Bilinear half_pixel 2x: first row is 1, 1.25, 1.75, 2 (clamped at the border).
        Resize lin = Resize.builder().mode("linear").scales(1, 1, 2, 2).build();
        Tensor y = ShapeOpTesting.forward(lin, 1, x)[0];
        assertArrayEquals(new float[] {1, 1.25f, 1.75f, 2}, java.util.Arrays.copyOf(y.data(), 4));
        // align_corners to 3x3: corners kept, centre is the mean.
        Resize ac = Resize.builder().mode("linear").coordinateTransformationMode("align_corners").sizes(1, 1, 3, 3).build();
        y = ShapeOpTesting.forward(ac, 1, x)[0];
        assertArrayEquals(new float[] {1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4}, y.data());
        // Identity resize returns the input values.
        assertBitIdentical(x, ShapeOpTesting.forward(Resize.builder().mode("linear").scales(1, 1, 1, 1).build(), 1, x)[0],
                "identity");
        // Axes (opset 18): sizes for the last two axes only, negative axes.
        Resize axes = Resize.builder().mode("linear").coordinateTransformationMode("align_corners").sizes(3, 3)
                .axes(-2, -1).build();
        assertArrayEquals(new float[] {1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4}, ShapeOpTesting.forward(axes, 1, x)[0].data());
    }

    @Test
    void keepAspectRatioPolicies() {
        Tensor x = Tensor.randomNormal(new SplittableRandom(5), 1f, 1, 1, 3, 4);
        Resize notLarger = Resize.builder().mode("linear").sizes(6, 10).axes(2, 3).keepAspectRatioPolicy("not_larger").build();
        Tensor y = ShapeOpTesting.forward(notLarger, 1, x)[0];
        assertArrayEquals(new int[] {1, 1, 6, 8}, y.shape());
        assertClose(ShapeOpTesting.forward(Resize.builder().mode("linear").scales(1, 1, 2, 2).build(), 1, x)[0], y,
                1e-6, 1e-6, "not_larger = common scale 2");
        Resize notSmaller = Resize.builder().mode("linear").sizes(6, 10).axes(2, 3).keepAspectRatioPolicy("not_smaller")
                .build();
        y = ShapeOpTesting.forward(notSmaller, 1, x)[0];
        assertArrayEquals(new int[] {1, 1, 8, 10}, y.shape()); // round(3 · 2.5) = 8
        Geometry g = new Geometry(new int[] {1, 1, 8, 10}, new double[] {1, 1, 4, 4}, new double[] {1, 1, 10, 10});
        assertClose(naiveResize(x, g, "linear", "half_pixel", "floor"), y, 1e-6, 1e-6, "not_smaller = common scale 2.5");
        assertEquals("not_smaller", notSmaller.attributes().get("keep_aspect_ratio_policy"));
        // Without axes the common scale applies to every axis, batch and channels included.
        Resize all = Resize.builder().mode("nearest").sizes(1, 1, 6, 10).keepAspectRatioPolicy("not_smaller").build();
        assertArrayEquals(new int[] {3, 3, 8, 10}, all.outputShape(x.shape()));
    }

    @Test
    void upsampleFactoryUsesAsymmetricFloor() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Resize up = Resize.upsample("nearest", 1, 1, 2, 3);
        assertEquals("Upsample", up.type());
        assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4},
                ShapeOpTesting.forward(up, 1, x)[0].data());
        Resize lin = Resize.upsample("linear", 1, 1, 2, 2);
        Geometry g = Geometry.ofScales(x.shape(), new float[] {1, 1, 2, 2});
        assertClose(naiveResize(x, g, "linear", "asymmetric", "floor"), ShapeOpTesting.forward(lin, 1, x)[0], 1e-6, 1e-6,
                "upsample linear");
        assertEquals(Resize.upsample("bilinear", 1, 1, 2, 2), lin);
        assertEquals("Upsample{mode=linear, scales=[1.0, 1.0, 2.0, 2.0]}", lin.toString());
        ShapeOpTesting.checkLinearGradients(lin, 1, x);
        assertInvalid(() -> Resize.upsample("nearest", 1, 1, 0.5f, 2), "Upsample", ">= 1");
    }

    @Test
    void attributesCategoryAndRetention() {
        Resize op = Resize.builder().mode("linear").coordinateTransformationMode("align_corners").sizes(1, 1, 3, 3).build();
        assertEquals(OpCategory.RESAMPLE, op.category());
        assertFalse(op.retainsInput(0));
        assertEquals("Resize{mode=linear, coordinate_transformation_mode=align_corners, sizes=[1, 1, 3, 3]}", op.toString());
        Resize nearest = Resize.builder().scales(1, 1, 2, 2).build();
        assertEquals("Resize{mode=nearest, coordinate_transformation_mode=half_pixel, nearest_mode=round_prefer_floor, "
                + "scales=[1.0, 1.0, 2.0, 2.0]}", nearest.toString());
        assertEquals(nearest, Resize.builder().mode("nearest").scales(1, 1, 2, 2).build());
        assertEquals(nearest.hashCode(), Resize.builder().scales(1, 1, 2, 2).build().hashCode());
        assertArrayEquals(new int[] {2, 3, 8, 2}, nearest.outputShape(new int[] {2, 3, 4, 1}));
    }

    @Test
    void badAttributesAreRejected() {
        assertInvalid(() -> Resize.builder().build(), "Resize", "either scales or sizes", "neither");
        assertInvalid(() -> Resize.builder().scales(1, 2).sizes(1, 2).build(), "Resize", "both");
        assertInvalid(() -> Resize.builder().mode("cubic"), "Resize", "cubic", "nearest, linear");
        assertInvalid(() -> Resize.builder().coordinateTransformationMode("tf_crop_and_resize"), "Resize",
                "tf_crop_and_resize", "region of interest", "half_pixel");
        assertInvalid(() -> Resize.builder().nearestMode("nearest"), "Resize", "nearest_mode", "round_prefer_floor");
        assertInvalid(() -> Resize.builder().scales(1, 0f).build(), "Resize", "scales", "> 0");
        assertInvalid(() -> Resize.builder().sizes(1, 0).build(), "Resize", "sizes", ">= 1");
        assertInvalid(() -> Resize.builder().sizes(4, 4).axes(2).build(), "Resize", "axes", "one entry per size");
        assertInvalid(() -> Resize.builder().sizes(4, 4).keepAspectRatioPolicy("fit").build(), "keep_aspect_ratio_policy",
                "stretch, not_larger, not_smaller");
        Tensor x = Tensor.zeros(1, 1, 4, 4);
        assertRejected(Resize.builder().scales(2, 2).build(), 1, new Tensor[] {x}, "Resize", "2 entries", "rank 4");
        assertRejected(Resize.builder().scales(1, 1, 0.2f, 1).build(), 1, new Tensor[] {x}, "Resize", "empty output");
        assertRejected(Resize.builder().sizes(2, 2).axes(2, -2).build(), 1, new Tensor[] {x}, "Resize", "more than once");
    }
}
