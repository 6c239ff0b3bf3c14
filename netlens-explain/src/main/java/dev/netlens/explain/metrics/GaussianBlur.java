package dev.netlens.explain.metrics;

/**
 * Separable Gaussian blur of each channel of a [C, H, W] image: the normalised {@code size}-tap
 * kernel exp(−d²/2σ²), zero padding at the borders — the insertion metric's "blurred copy" as in
 * Petsiuk et al.'s reference code ({@code conv2d(x, gkern(11, 5), padding=5)}), so border pixels
 * are darkened slightly as there.
 */
final class GaussianBlur {
    private final float[] kernel;

    GaussianBlur(double sigma, int size) {
        if (!(sigma > 0) || size < 1 || size % 2 == 0) {
            throw new IllegalArgumentException("blur needs sigma > 0 and an odd kernel size, got sigma " + sigma
                    + ", size " + size);
        }
        kernel = new float[size];
        int r = size / 2;
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += Math.exp(-(i - r) * (i - r) / (2 * sigma * sigma));
        }
        for (int i = 0; i < size; i++) {
            kernel[i] = (float) (Math.exp(-(i - r) * (i - r) / (2 * sigma * sigma)) / sum);
        }
    }

    float[] kernel() {
        return kernel.clone();
    }

    /** Blurs {@code image} laid out [channels, height, width]; returns a new array. */
    float[] apply(float[] image, int channels, int height, int width) {
        int r = kernel.length / 2;
        float[] tmp = new float[image.length];
        float[] out = new float[image.length];
        for (int c = 0; c < channels; c++) {
            int off = c * height * width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float s = 0;
                    for (int k = -r; k <= r; k++) {
                        int xx = x + k;
                        if (xx >= 0 && xx < width) {
                            s += kernel[k + r] * image[off + y * width + xx];
                        }
                    }
                    tmp[off + y * width + x] = s;
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float s = 0;
                    for (int k = -r; k <= r; k++) {
                        int yy = y + k;
                        if (yy >= 0 && yy < height) {
                            s += kernel[k + r] * tmp[off + yy * width + x];
                        }
                    }
                    out[off + y * width + x] = s;
                }
            }
        }
        return out;
    }
}
