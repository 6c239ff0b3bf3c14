package dev.netlens.explain.metrics;

/**
 * The structural similarity index of Wang, Bovik, Sheikh and Simoncelli, "Image Quality Assessment:
 * From Error Visibility to Structural Similarity", IEEE TIP 2004, as the sanity checks of Adebayo et
 * al. (2018) use it to compare two saliency maps: Gaussian-weighted local statistics (σ = 1.5, an
 * 11 × 11 window), K1 = 0.01, K2 = 0.03, and the mean of the SSIM map over the positions where the
 * window fits inside the image (scikit-image's {@code structural_similarity(gaussian_weights=True,
 * sigma=1.5, use_sample_covariance=False)}). The data range L is a parameter; maps normalised to
 * [0, 1] use L = 1. Images smaller than the window use a window as large as the smaller side allows
 * (odd).
 */
public final class Ssim {
    private static final double K1 = 0.01;
    private static final double K2 = 0.03;

    private Ssim() {
    }

    /** Mean SSIM of two row-major {@code height × width} images with data range {@code range}. */
    public static double ssim(float[] a, float[] b, int height, int width, double range) {
        if (a.length != height * width || b.length != height * width) {
            throw new IllegalArgumentException("SSIM needs two " + height + "x" + width + " images, got "
                    + a.length + " and " + b.length + " values");
        }
        int win = Math.min(11, Math.min(height, width));
        if (win % 2 == 0) {
            win--;
        }
        int r = win / 2;
        double[] g = new double[win];
        double sum = 0;
        for (int i = 0; i < win; i++) {
            g[i] = Math.exp(-(i - r) * (i - r) / (2 * 1.5 * 1.5));
            sum += g[i];
        }
        for (int i = 0; i < win; i++) {
            g[i] /= sum;
        }
        double c1 = (K1 * range) * (K1 * range);
        double c2 = (K2 * range) * (K2 * range);
        double total = 0;
        int count = 0;
        for (int y = r; y < height - r; y++) {
            for (int x = r; x < width - r; x++) {
                double ma = 0;
                double mb = 0;
                double aa = 0;
                double bb = 0;
                double ab = 0;
                for (int dy = -r; dy <= r; dy++) {
                    for (int dx = -r; dx <= r; dx++) {
                        double wt = g[dy + r] * g[dx + r];
                        double va = a[(y + dy) * width + x + dx];
                        double vb = b[(y + dy) * width + x + dx];
                        ma += wt * va;
                        mb += wt * vb;
                        aa += wt * va * va;
                        bb += wt * vb * vb;
                        ab += wt * va * vb;
                    }
                }
                double va = aa - ma * ma;
                double vb = bb - mb * mb;
                double cov = ab - ma * mb;
                total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
                count++;
            }
        }
        return total / count;
    }

    /** Scales a map to [0, 1] by its minimum and maximum (a constant map becomes all 0). */
    public static float[] normalise(float[] v) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        float[] out = new float[v.length];
        if (hi > lo) {
            for (int i = 0; i < v.length; i++) {
                out[i] = (v[i] - lo) / (hi - lo);
            }
        }
        return out;
    }
}
