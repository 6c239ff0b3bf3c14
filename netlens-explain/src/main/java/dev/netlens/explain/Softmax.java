package dev.netlens.explain;

/** The softmax probability of one class in a row of logits, as the perturbation methods and metrics score it. */
public final class Softmax {
    private Softmax() {
    }

    /** softmax(row)[cls] of the k values at d[from …], max-shifted, in double. */
    public static float probability(float[] d, int from, int k, int cls) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, d[from + c]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += Math.exp(d[from + c] - max);
        }
        return (float) (Math.exp(d[from + cls] - max) / sum);
    }
}
