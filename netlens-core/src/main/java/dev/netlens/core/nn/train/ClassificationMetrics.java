package dev.netlens.core.nn.train;

import dev.netlens.core.tensor.Tensor;

/**
 * Accumulates a confusion matrix (rows: true class, columns: predicted = arg-max of the scores,
 * first maximum on ties) over batches, with accuracy and per-class accuracy (recall).
 */
public final class ClassificationMetrics {
    private final long[][] confusion;
    private long total;
    private long correct;

    public ClassificationMetrics(int classes) {
        this.confusion = new long[classes][classes];
    }

    /** Adds a batch of scores [N, C] and class-index targets [N]. */
    public void add(Tensor scores, Tensor targets) {
        int n = scores.dim(0);
        int c = scores.dim(1);
        if (c != confusion.length) {
            throw new IllegalArgumentException("the model outputs " + c + " scores per example, the dataset has "
                    + confusion.length + " classes");
        }
        float[] s = scores.data();
        float[] t = targets.data();
        for (int i = 0; i < n; i++) {
            int label = (int) t[i];
            if (label < 0 || label >= c || label != t[i]) {
                throw new IllegalArgumentException("target " + t[i] + " of example " + i + " is not a class index in [0, "
                        + c + ")");
            }
            int best = argmax(s, i * c, c);
            confusion[label][best]++;
            total++;
            if (best == label) {
                correct++;
            }
        }
    }

    /** Index of the first maximum of {@code s[off .. off+c)}. */
    public static int argmax(float[] s, int off, int c) {
        int best = 0;
        for (int j = 1; j < c; j++) {
            if (s[off + j] > s[off + best]) {
                best = j;
            }
        }
        return best;
    }

    public long total() {
        return total;
    }

    public long correct() {
        return correct;
    }

    /** Fraction of examples classified correctly (NaN before any). */
    public double accuracy() {
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Per true class: the fraction classified correctly (NaN for classes without examples). */
    public double[] perClassAccuracy() {
        double[] a = new double[confusion.length];
        for (int k = 0; k < a.length; k++) {
            long row = 0;
            for (long v : confusion[k]) {
                row += v;
            }
            a[k] = row == 0 ? Double.NaN : (double) confusion[k][k] / row;
        }
        return a;
    }

    /** A copy of the confusion matrix, [true][predicted]. */
    public long[][] confusion() {
        long[][] c = new long[confusion.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = confusion[i].clone();
        }
        return c;
    }
}
