package dev.netlens.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuantileSketchTest {
    private static float[] values(String kind, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            v[i] = switch (kind) {
                case "normal" -> (float) g;
                case "relu" -> (float) Math.max(0, g * 3 - 1); // most values exactly 0
                case "exponential" -> (float) -Math.log(1 - r.nextDouble());
                default -> (float) (r.nextInt(5) * 0.5); // few distinct values (ties)
            };
        }
        return v;
    }

    /** 10^6 values: every tested quantile, 0.995 included (5000 values above it > TAIL), comes from the histogram. */
    @Test
    void histogramRankErrorIsWithinBoundAndBelowSpec() {
        double worst = 0;
        for (String kind : new String[] {"normal", "relu", "exponential", "ties"}) {
            float[] v = values(kind, 1_000_000, 5);
            QuantileSketch s = new QuantileSketch();
            s.add(v, 0, v.length);
            float[] sorted = v.clone();
            Arrays.sort(sorted);
            for (double p : new double[] {0.5, 0.9, 0.99, 0.995}) {
                double err = DissectionExactnessTest.rankError(sorted, s.quantile(p), p);
                assertTrue(err <= s.rankErrorBound(p) + 1e-6, kind + " p=" + p + ": " + err + " > bound "
                        + s.rankErrorBound(p));
                assertTrue(err <= 1e-3, kind + " p=" + p + ": rank error " + err);
                worst = Math.max(worst, err);
            }
        }
        System.out.printf(Locale.ROOT, "sketch (histogram path, 1e6 values): max rank error %.2e%n", worst);
    }

    @Test
    void exactInTheTail() {
        float[] v = values("normal", 200_000, 9);
        QuantileSketch s = new QuantileSketch();
        s.add(v, 0, v.length);
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        assertEquals(DissectionExactnessTest.exactQuantile(sorted, 0.995), s.quantile(0.995));
        assertEquals(0.0, s.rankErrorBound(0.995));
    }

    @Test
    void mergedHalvesEqualWholeAndSerialisationRoundTrips() throws IOException {
        float[] v = values("relu", 300_000, 3);
        QuantileSketch whole = new QuantileSketch();
        whole.add(v, 0, v.length);
        QuantileSketch a = new QuantileSketch();
        QuantileSketch b = new QuantileSketch();
        b.add(v, 100_000, 200_000);
        a.add(v, 0, 100_000);
        b.merge(a); // other order than "whole"
        assertEquals(whole, b);
        assertEquals(whole.quantile(0.995), b.quantile(0.995));
        assertEquals(whole.quantile(0.5), b.quantile(0.5));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        whole.write(new DataOutputStream(bytes));
        QuantileSketch back = QuantileSketch.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(whole, back);
        assertEquals(whole.quantile(0.9), back.quantile(0.9));
    }

    @Test
    void topImagesMergeIsOrderIndependent() throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        TopImages whole = new TopImages(3, 5);
        TopImages first = new TopImages(3, 5);
        TopImages second = new TopImages(3, 5);
        for (int image = 0; image < 200; image++) {
            for (int u = 0; u < 3; u++) {
                float value = r.nextInt(20); // ties on purpose
                whole.offer(u, image, value);
                (image % 2 == 0 ? first : second).offer(u, image, value);
            }
        }
        second.merge(first);
        assertEquals(whole, second);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        whole.write(new DataOutputStream(bytes));
        assertEquals(whole, TopImages.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        float[] best = whole.values(0);
        for (int i = 1; i < best.length; i++) {
            assertTrue(best[i - 1] >= best[i]);
        }
    }
}
