package dev.netlens.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Both kernel sets against naive references and against each other, on strided operands. */
class KernelsTest {
    private final Kernels java = Kernels.java();
    private final Kernels blas = Kernels.openblas();

    /** A forward convolution kernel under test. */
    @FunctionalInterface
    interface ConvForward {
        void run(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y);
    }

    /**
     * Runs {@code kernel} on random x, w (and a bias when {@code withBias}), drawn from r in that
     * order, into an output filled with NaN, checks it against the Java kernels
     * ({@link #assertAgree}) and returns {x, w, bias, output}.
     */
    static float[][] checkForward(ConvGeometry g, SplittableRandom r, boolean withBias, ConvForward kernel) {
        float[] x = random(r, g.inputSize());
        float[] w = random(r, g.weightSize());
        float[] bias = withBias ? random(r, g.outChannels) : null;
        float[] want = new float[g.outputSize()];
        Kernels.java().convForward(g, x, w, bias, want);
        float[] got = new float[g.outputSize()];
        Arrays.fill(got, Float.NaN);
        kernel.run(g, x, w, bias, got);
        assertAgree(want, got, describe(g) + (withBias ? " with bias" : ""));
        return new float[][] {x, w, bias, got};
    }

    /** A convolution geometry for messages: batch × channels × size → outputs, kernel, stride, dilation, pads. */
    static String describe(ConvGeometry g) {
        return g.batch + "x" + g.inChannels + "x" + g.inHeight + "x" + g.inWidth + " -> " + g.outChannels + " k"
                + g.kernelHeight + "x" + g.kernelWidth + " s" + g.strideHeight + " d" + g.dilationHeight + " pads "
                + g.padTop + "," + g.padLeft + "," + g.padBottom + "," + g.padRight;
    }

    /** addend[i] + dx[i], in that order: what a data gradient summed into a pending one must give. */
    static float[] plus(float[] addend, float[] dx) {
        float[] sum = new float[dx.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = addend[i] + dx[i];
        }
        return sum;
    }

    static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    /**
     * The convolution bias gradient sums 128 images of 28×28 per channel (100 352 values): to float
     * rounding of the double-precision sum (one float accumulator, the previous code, was off by
     * 8e-6 relative here).
     */
    @Test
    void biasGradientIsTheSumOverImagesAndPositions() {
        ConvGeometry g = new ConvGeometry(128, 3, 28, 28, 5, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1});
        SplittableRandom r = new SplittableRandom(9);
        float[] dy = new float[g.outputSize()];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = (float) r.nextDouble();
        }
        float[] db = new float[g.outChannels];
        JavaKernels.biasGradient(g, dy, db);
        for (int m = 0; m < g.outChannels; m++) {
            double e = 0;
            for (int n = 0; n < g.batch; n++) {
                for (int i = 0; i < g.outArea(); i++) {
                    e += dy[(n * g.outChannels + m) * g.outArea() + i];
                }
            }
            assertEquals(e, db[m], 1e-7 * e, "channel " + m);
        }
    }

    @Test
    void sgemmWithOffsetsLeadingDimensionsAndTransposes() {
        SplittableRandom r = new SplittableRandom(1);
        for (int trial = 0; trial < 60; trial++) {
            int m = 1 + r.nextInt(trial < 30 ? 20 : 90);
            int n = 1 + r.nextInt(trial < 30 ? 20 : 90);
            int k = 1 + r.nextInt(trial < 30 ? 20 : 120);
            boolean ta = r.nextBoolean();
            boolean tb = r.nextBoolean();
            int aRows = ta ? k : m;
            int aCols = ta ? m : k;
            int bRows = tb ? n : k;
            int bCols = tb ? k : n;
            int lda = aCols + r.nextInt(3);
            int ldb = bCols + r.nextInt(3);
            int ldc = n + r.nextInt(3);
            int aOff = r.nextInt(5);
            int bOff = r.nextInt(5);
            int cOff = r.nextInt(5);
            float[] a = random(r, aOff + aRows * lda);
            float[] b = random(r, bOff + bRows * ldb);
            float[] c0 = random(r, cOff + m * ldc);
            float alpha = (float) (r.nextDouble() * 2 - 1);
            float beta = trial % 3 == 0 ? 0f : (float) (r.nextDouble() * 2 - 1);
            double[] expected = new double[c0.length];
            for (int i = 0; i < c0.length; i++) {
                expected[i] = c0[i];
            }
            double maxRef = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double av = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        double bv = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        s += av * bv;
                    }
                    int ci = cOff + i * ldc + j;
                    expected[ci] = alpha * s + (beta == 0 ? 0 : beta * c0[ci]);
                    maxRef = Math.max(maxRef, Math.abs(expected[ci]));
                }
            }
            for (Kernels kern : new Kernels[] {java, blas}) {
                float[] c = c0.clone();
                kern.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
                for (int i = 0; i < c.length; i++) {
                    int row = (i - cOff) / ldc;
                    int col = (i - cOff) % ldc;
                    boolean inside = i >= cOff && row < m && col < n;
                    if (inside) {
                        assertEquals(expected[i], c[i], 1e-5 * (1 + maxRef), kern.name() + " trial " + trial + " at " + i);
                    } else {
                        assertEquals(c0[i], c[i], 0f, kern.name() + " wrote outside C at " + i);
                    }
                }
            }
        }
    }

    @Test
    void convolutionKernelsAgreeAtResNetShapes() {
        SplittableRandom r = new SplittableRandom(2);
        int[][] layers = {
            // c, h, m, k, stride, pad
            {3, 56, 16, 7, 2, 3},
            {32, 28, 32, 3, 1, 1},
            {32, 28, 64, 3, 2, 1},
            {64, 14, 32, 1, 1, 0},
            {64, 14, 128, 1, 2, 0},
        };
        // Batch 1 runs each phase in parallel (row bands for the 3-channel layer), batch 2 spreads images.
        for (int batch = 1; batch <= 2; batch++) {
          for (int[] l : layers) {
            ConvGeometry g = new ConvGeometry(batch, l[0], l[1], l[1], l[2], 1, l[3], l[3], l[4], l[4], 1, 1,
                    new int[] {l[5], l[5], l[5], l[5]});
            float[] x = random(r, g.inputSize());
            float[] w = random(r, g.weightSize());
            float[] bias = random(r, g.outChannels);
            float[] dy = random(r, g.outputSize());
            float[] yj = new float[g.outputSize()];
            float[] yb = new float[g.outputSize()];
            java.convForward(g, x, w, bias, yj);
            blas.convForward(g, x, w, bias, yb);
            assertAgree(yj, yb, "forward " + Arrays.toString(l));
            float[] dxj = new float[g.inputSize()];
            float[] dxb = new float[g.inputSize()];
            java.convBackwardData(g, dy, w, dxj);
            blas.convBackwardData(g, dy, w, dxb);
            assertAgree(dxj, dxb, "backward data " + Arrays.toString(l));
            assertDataGradientWithDeclaredWeights(g, dy, w, dxj, "backward data " + Arrays.toString(l));
            float[] dwj = new float[g.weightSize()];
            float[] dwb = new float[g.weightSize()];
            float[] dbj = new float[g.outChannels];
            float[] dbb = new float[g.outChannels];
            java.convBackwardFilter(g, x, dy, dwj, dbj);
            blas.convBackwardFilter(g, x, dy, dwb, dbb);
            assertAgree(dwj, dwb, "backward filter " + Arrays.toString(l));
            assertAgree(dbj, dbb, "backward bias " + Arrays.toString(l));
          }
        }
    }

    /**
     * {@link Kernels#convBackwardDataAdding} gives addend[i] + the data gradient[i], bit for bit,
     * whichever path the data gradient takes: the direct output-channel kernels that add while
     * writing dX (stride 1 and 2), the direct 4-channel kernel, Winograd, depthwise, GEMM (batch
     * 1 and a batch), and the Java kernels' default.
     */
    @Test
    void dataGradientsAddingAnAddendGiveTheBitsOfAddingAfter() {
        SplittableRandom r = new SplittableRandom(12);
        ConvGeometry[] geometries = {
            new ConvGeometry(33, 16, 14, 14, 16, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}),
            new ConvGeometry(33, 16, 14, 14, 32, 1, 3, 3, 2, 2, 1, 1, new int[] {1, 1, 1, 1}),
            new ConvGeometry(33, 4, 10, 9, 6, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}),
            new ConvGeometry(1, 64, 14, 14, 64, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}),
            new ConvGeometry(2, 8, 9, 9, 8, 8, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}),
            new ConvGeometry(1, 64, 14, 14, 128, 1, 1, 1, 2, 2, 1, 1, new int[] {0, 0, 0, 0}),
            new ConvGeometry(3, 5, 11, 7, 6, 1, 3, 3, 2, 1, 1, 1, new int[] {0, 1, 2, 0}),
        };
        int direct = 0;
        int winograd = 0;
        for (ConvGeometry g : geometries) {
            float[] w = random(r, g.weightSize());
            float[] dy = random(r, g.outputSize());
            float[] addend = random(r, g.inputSize());
            direct += DirectConvChoice.forData(g) && DirectConv.adds(g) ? 1 : 0;
            // declared (constant) weights let Winograd take the 3×3 stride-1 layers at batch 1
            float[] declared = w.clone();
            ConstantArrays.declare(declared);
            winograd += Winograd.applies(g, declared) ? 1 : 0;
            for (int run = 0; run < 3; run++) {
                Kernels k = run == 0 ? java : blas;
                float[] weights = run == 2 ? declared : w;
                float[] dx = new float[g.inputSize()];
                k.convBackwardData(g, dy, weights, dx);
                float[] expected = plus(addend, dx);
                float[] got = new float[g.inputSize()];
                Arrays.fill(got, Float.NaN);
                k.convBackwardDataAdding(g, dy, weights, addend, got);
                org.junit.jupiter.api.Assertions.assertArrayEquals(expected, got, k.name() + (run == 2 ? " declared" : "")
                        + " " + describe(g));
            }
        }
        if (Simd.ENABLED && DirectConv.wide && DirectConvChoice.enabled()) {
            assertEquals(2, direct, "geometries whose direct kernels add while writing dX");
        }
        assertTrue(winograd >= 1, "a geometry taking Winograd");
    }

    /**
     * The data gradient with the weights declared constant (graph parameters): the cached
     * transposed copy of {@link StagedWeights#transposed} (or Winograd) instead of OpenBLAS's
     * transposed-A flag; the output starts as NaN so that anything left unwritten shows.
     */
    private void assertDataGradientWithDeclaredWeights(ConvGeometry g, float[] dy, float[] w, float[] expected,
                                                       String what) {
        float[] declared = w.clone();
        ConstantArrays.declare(declared);
        for (int call = 0; call < 2; call++) {
            float[] dx = new float[g.inputSize()];
            Arrays.fill(dx, Float.NaN);
            blas.convBackwardData(g, dy, declared, dx);
            assertAgree(expected, dx, what + " (declared weights, call " + (call + 1) + ")");
        }
    }

    @Test
    void trainingBatchConvolutionsAgreeWithJava() {
        // Batches larger than the thread count (images spread over threads; filter gradients with
        // several images per GEMM and one partial sum per thread): odd batches, groups, pointwise
        // and strided kernels; outputs are pre-filled with NaN so that any element left unwritten shows.
        SplittableRandom r = new SplittableRandom(7);
        ConvGeometry[] geometries = {
            new ConvGeometry(13, 16, 14, 14, 32, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}),
            new ConvGeometry(7, 32, 14, 14, 64, 1, 3, 3, 2, 2, 1, 1, new int[] {1, 1, 1, 1}),
            new ConvGeometry(5, 12, 9, 7, 8, 2, 3, 2, 1, 1, 1, 1, new int[] {0, 1, 2, 0}),
            new ConvGeometry(9, 32, 14, 14, 64, 1, 1, 1, 2, 2, 1, 1, new int[] {0, 0, 0, 0}),
            new ConvGeometry(6, 24, 7, 7, 16, 1, 1, 1, 1, 1, 1, 1, new int[] {0, 0, 0, 0}),
            new ConvGeometry(130, 1, 28, 28, 16, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}),
        };
        for (ConvGeometry g : geometries) {
            String what = g.batch + "x" + g.inChannels + "x" + g.inHeight + "x" + g.inWidth + "->" + g.outChannels
                    + " k" + g.kernelHeight + "x" + g.kernelWidth + " s" + g.strideHeight + " groups " + g.groups;
            float[] x = random(r, g.inputSize());
            float[] w = random(r, g.weightSize());
            float[] bias = random(r, g.outChannels);
            float[] dy = random(r, g.outputSize());
            float[] yj = new float[g.outputSize()];
            float[] yb = new float[g.outputSize()];
            Arrays.fill(yb, Float.NaN);
            java.convForward(g, x, w, bias, yj);
            blas.convForward(g, x, w, bias, yb);
            assertAgree(yj, yb, "forward " + what);
            float[] dxj = new float[g.inputSize()];
            float[] dxb = new float[g.inputSize()];
            Arrays.fill(dxb, Float.NaN);
            java.convBackwardData(g, dy, w, dxj);
            blas.convBackwardData(g, dy, w, dxb);
            assertAgree(dxj, dxb, "backward data " + what);
            assertDataGradientWithDeclaredWeights(g, dy, w, dxj, "backward data " + what);
            float[] dwj = new float[g.weightSize()];
            float[] dwb = new float[g.weightSize()];
            Arrays.fill(dwb, Float.NaN);
            float[] dbj = new float[g.outChannels];
            float[] dbb = new float[g.outChannels];
            java.convBackwardFilter(g, x, dy, dwj, dbj);
            blas.convBackwardFilter(g, x, dy, dwb, dbb);
            assertAgree(dwj, dwb, "backward filter " + what);
            assertAgree(dbj, dbb, "backward bias " + what);
        }
    }

    @Test
    void tiledConvolutionsAgreeWithJava() {
        // Column matrices above OpenBlasKernels.TILED_ABOVE take the tiled paths; odd geometries
        // exercise tile and band boundaries.
        SplittableRandom r = new SplittableRandom(3);
        ConvGeometry[] geometries = {
            new ConvGeometry(1, 3, 224, 224, 16, 1, 7, 7, 2, 2, 1, 1, new int[] {3, 3, 3, 3}),
            new ConvGeometry(1, 32, 64, 64, 16, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}),
            new ConvGeometry(3, 32, 267, 153, 12, 2, 5, 3, 3, 2, 2, 1, new int[] {2, 0, 1, 3}),
            new ConvGeometry(2, 8, 230, 81, 6, 1, 4, 4, 1, 1, 1, 2, new int[] {0, 1, 2, 0}),
        };
        for (ConvGeometry g : geometries) {
            assertTrue((long) g.colRows() * g.outArea() > OpenBlasKernels.TILED_ABOVE, "geometry is tiled");
            float[] x = random(r, g.inputSize());
            float[] w = random(r, g.weightSize());
            float[] bias = random(r, g.outChannels);
            float[] dy = random(r, g.outputSize());
            float[] yj = new float[g.outputSize()];
            float[] yb = new float[g.outputSize()];
            java.convForward(g, x, w, bias, yj);
            blas.convForward(g, x, w, bias, yb);
            assertAgree(yj, yb, "tiled forward " + g.colRows() + "x" + g.outArea());
            float[] dxj = new float[g.inputSize()];
            float[] dxb = new float[g.inputSize()];
            Arrays.fill(dxb, Float.NaN);
            java.convBackwardData(g, dy, w, dxj);
            blas.convBackwardData(g, dy, w, dxb);
            assertAgree(dxj, dxb, "tiled backward data " + g.colRows() + "x" + g.outArea());
            assertDataGradientWithDeclaredWeights(g, dy, w, dxj,
                    "tiled backward data " + g.colRows() + "x" + g.outArea());
        }
    }

    @Test
    void winogradConvolutionsAgreeWithJava() {
        // Odd sizes (partial edge tiles), every padding 0..2 including asymmetric, a batch larger
        // than one chunk of tiles, forward and data gradient.
        SplittableRandom r = new SplittableRandom(5);
        ConvGeometry[] geometries = {
            new ConvGeometry(1, 16, 17, 19, 16, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1}),
            new ConvGeometry(5, 17, 11, 6, 19, 1, 3, 3, 1, 1, 1, 1, new int[] {0, 2, 1, 0}),
            new ConvGeometry(8, 24, 5, 5, 16, 1, 3, 3, 1, 1, 1, 1, new int[] {2, 2, 2, 2}),
            new ConvGeometry(9, 16, 30, 30, 20, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 0, 0, 1}),
        };
        for (ConvGeometry g : geometries) {
            float[] x = random(r, g.inputSize());
            float[] w = random(r, g.weightSize());
            ConstantArrays.declare(w);
            assertTrue(Winograd.applies(g, w), "the case must take the Winograd path");
            float[] bias = random(r, g.outChannels);
            float[] dy = random(r, g.outputSize());
            float[] yj = new float[g.outputSize()];
            float[] yb = new float[g.outputSize()];
            java.convForward(g, x, w, bias, yj);
            blas.convForward(g, x, w, bias, yb);
            assertAgree(yj, yb, "winograd forward " + g.outHeight + "x" + g.outWidth);
            float[] dxj = new float[g.inputSize()];
            float[] dxb = new float[g.inputSize()];
            Arrays.fill(dxb, Float.NaN);
            java.convBackwardData(g, dy, w, dxj);
            blas.convBackwardData(g, dy, w, dxb);
            assertAgree(dxj, dxb, "winograd data gradient " + g.inHeight + "x" + g.inWidth);
            // The cached filter transform gives the same result on a second call.
            float[] yc = new float[g.outputSize()];
            blas.convForward(g, x, w, bias, yc);
            assertArrayEqualsExactly(yb, yc);
            // Every tile size, whichever the shape would choose, with the bias and without.
            float[] noBias = new float[g.outChannels];
            float[] yNoBias = new float[g.outputSize()];
            java.convForward(g, x, w, noBias, yNoBias);
            ConvGeometry bg = Winograd.backwardGeometry(g);
            for (Winograd.Variant v : Winograd.Variant.values()) {
                float[] yv = new float[g.outputSize()];
                Winograd.convolve(g, x, Winograd.filters(w, g.outChannels, g.inChannels, v, false), yv);
                assertAgree(yNoBias, yv, v + " forward " + g.outHeight + "x" + g.outWidth);
                Winograd.convolve(g, x, Winograd.filters(w, g.outChannels, g.inChannels, v, false), bias, yv);
                assertAgree(yj, yv, v + " forward with bias " + g.outHeight + "x" + g.outWidth);
                float[] dxv = new float[g.inputSize()];
                Winograd.convolve(bg, dy, Winograd.filters(w, g.outChannels, g.inChannels, v, true), dxv);
                assertAgree(dxj, dxv, v + " data gradient " + g.inHeight + "x" + g.inWidth);
            }
        }
    }

    @Test
    void winogradWorkspacesCarryNothingFromOneGeometryToTheNext() {
        // Same tiles per row and row span, different left padding: the reused padded rows must not
        // keep the first geometry's columns (for both tile sizes, batch 1 and a larger batch).
        SplittableRandom r = new SplittableRandom(8);
        for (int batch : new int[] {1, 6}) {
            ConvGeometry right = new ConvGeometry(batch, 16, 9, 13, 16, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 0, 1, 2});
            ConvGeometry left = new ConvGeometry(batch, 16, 9, 13, 16, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 2, 1, 0});
            for (Winograd.Variant v : Winograd.Variant.values()) {
                for (ConvGeometry g : new ConvGeometry[] {right, left, right}) {
                    float[] x = random(r, g.inputSize());
                    float[] w = random(r, g.weightSize());
                    float[] expected = new float[g.outputSize()];
                    java.convForward(g, x, w, null, expected);
                    float[] y = new float[g.outputSize()];
                    Winograd.convolve(g, x, Winograd.filters(w, g.outChannels, g.inChannels, v, false), y);
                    assertAgree(expected, y, v + " pads " + g.padLeft + "/" + g.padRight + " batch " + batch);
                }
            }
        }
    }

    @Test
    void winogradOverrideNamesTheProperty() {
        ConvGeometry g = new ConvGeometry(1, 16, 8, 8, 16, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1});
        String saved = System.getProperty("netlens.winograd");
        try {
            System.setProperty("netlens.winograd", "f3");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Winograd.variant(g, false));
            assertTrue(e.getMessage().contains("netlens.winograd") && e.getMessage().contains("f2, f4 and off"),
                    e.getMessage());
            System.setProperty("netlens.winograd", "F4");
            assertEquals(Winograd.Variant.F4, Winograd.variant(g, false));
        } finally {
            if (saved == null) {
                System.clearProperty("netlens.winograd");
            } else {
                System.setProperty("netlens.winograd", saved);
            }
        }
        // Without the override: F(2×2) forward, F(4×4) for a large data gradient, F(2×2) for a small one.
        assertEquals(Winograd.Variant.F2, Winograd.variant(g, false));
        ConvGeometry large = new ConvGeometry(8, 64, 56, 56, 64, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1});
        assertEquals(Winograd.Variant.F4, Winograd.variant(large, true));
        assertEquals(Winograd.Variant.F2, Winograd.variant(large, false));
        ConvGeometry fourteen = new ConvGeometry(8, 64, 14, 14, 64, 1, 3, 3, 1, 1, 1, 1, new int[] {1, 1, 1, 1});
        assertEquals(Winograd.Variant.F2, Winograd.variant(fourteen, true));
    }

    private static void assertArrayEqualsExactly(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "element " + i);
        }
    }

    /** Within 1e-5 relative to the largest magnitude. */
    static void assertAgree(float[] a, float[] b, String what) {
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - b[i]);
            assertTrue(d <= 1e-5 * max, what + ": element " + i + " java " + a[i] + " openblas " + b[i]
                    + " (relative " + d / max + ")");
        }
    }

    @Test
    void poolGeometryFollowsCeilModeRules() {
        // PyTorch: 5 wide, k 2, s 2, ceil → 3; with pad 1 → 3 (last window would start in padding only if ≥ in + pad).
        assertEquals(2, PoolGeometry.outputExtent(5, 2, 2, 1, 0, 0, false));
        assertEquals(3, PoolGeometry.outputExtent(5, 2, 2, 1, 0, 0, true));
        assertEquals(3, PoolGeometry.outputExtent(5, 3, 2, 1, 1, 1, true));
        // 6 wide, k 3, s 2, pad 1: floor → 3, ceil → 4 but the 4th window starts at 6 ≥ 6 + 1? No: 3*2=6 < 7 → 4.
        assertEquals(3, PoolGeometry.outputExtent(6, 3, 2, 1, 1, 1, false));
        assertEquals(4, PoolGeometry.outputExtent(6, 3, 2, 1, 1, 1, true));
        // 4 wide, k 2, s 3, pad 1 ceil: (4+2-2)/3 → ceil(4/3)+1 = 3; window 3 starts at 6 ≥ 4+1 → dropped → 2.
        assertEquals(2, PoolGeometry.outputExtent(4, 2, 3, 1, 1, 1, true));
    }

    @Test
    void parallelRangeCoversEveryIndexOnceAndPropagatesFailures() {
        int n = 100_003;
        int[] hits = new int[n];
        Parallel.range(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                hits[i]++;
            }
        });
        for (int h : hits) {
            assertEquals(1, h);
        }
        try {
            Parallel.range(1000, 1, (from, to) -> {
                if (to == 1000) {
                    throw new IllegalStateException("last chunk fails");
                }
            });
            throw new AssertionError("expected the chunk's exception");
        } catch (IllegalStateException expected) {
            assertEquals("last chunk fails", expected.getMessage());
        }
    }

    @Test
    void dynamicRangeCoversEveryIndexOnceInGrainBlocksAndPropagatesFailures() {
        for (int[] c : new int[][] {{100_003, 7}, {10, 3}, {5, 5}, {4, 9}, {1, 1}}) {
            int n = c[0];
            int grain = c[1];
            java.util.concurrent.atomic.AtomicIntegerArray hits = new java.util.concurrent.atomic.AtomicIntegerArray(n);
            Parallel.dynamic(n, grain, (from, to) -> {
                assertTrue(to - from <= grain && (from % grain == 0 || to - from == n), "block " + from + ".." + to);
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, hits.get(i), "n " + n + " grain " + grain + " index " + i);
            }
        }
        try {
            Parallel.dynamic(1000, 10, (from, to) -> {
                if (to == 1000) {
                    throw new IllegalStateException("last block fails");
                }
            });
            throw new AssertionError("expected the block's exception");
        } catch (IllegalStateException expected) {
            assertEquals("last block fails", expected.getMessage());
        }
    }
}
