package dev.netlens.core.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every loss's gradient against central finite differences in double. Inputs are multiples of 2^-12
 * and the step is 2^-12, so x ± h is exact in float32 and the differences see only the loss.
 */
class LossGradientTest {
    private static final double H = 1.0 / 4096;

    @ParameterizedTest(name = "CE index targets N={0} C={1} eps={2}")
    @CsvSource({"1, 2, 0", "3, 4, 0", "5, 7, 0", "2, 10, 0.1", "4, 3, 0.3", "6, 5, 1.0"})
    void crossEntropyIndexTargets(int n, int c, double eps) {
        SplittableRandom rnd = new SplittableRandom(31L * n + c);
        Tensor logits = grid(rnd, 4.0, n, c);
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(c);
        }
        check(CrossEntropyLoss.withLabelSmoothing(eps), logits, Tensor.of(labels, n));
    }

    @ParameterizedTest(name = "CE probability targets N={0} C={1} eps={2}")
    @CsvSource({"1, 3, 0", "3, 4, 0", "4, 6, 0.2", "2, 2, 0.05"})
    void crossEntropyProbabilityTargets(int n, int c, double eps) {
        SplittableRandom rnd = new SplittableRandom(17L * n + c);
        Tensor logits = grid(rnd, 4.0, n, c);
        float[] p = new float[n * c];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int k = 0; k < c; k++) {
                p[i * c + k] = (float) rnd.nextDouble();
                sum += p[i * c + k];
            }
            for (int k = 0; k < c; k++) {
                p[i * c + k] /= (float) sum;
            }
        }
        check(CrossEntropyLoss.withLabelSmoothing(eps), logits, Tensor.of(p, n, c));
    }

    @ParameterizedTest(name = "BCE shape {0}x{1}, pos_weight {2}")
    @CsvSource({"1, 1, false", "3, 4, false", "2, 5, true", "6, 3, true"})
    void binaryCrossEntropy(int n, int c, boolean weighted) {
        SplittableRandom rnd = new SplittableRandom(7L * n + c);
        Tensor logits = grid(rnd, 6.0, n, c);
        Tensor targets = Tensor.randomUniform(rnd, 0, 1, n, c);
        targets.data()[0] = 1;
        BinaryCrossEntropyWithLogitsLoss loss = BinaryCrossEntropyWithLogitsLoss.create();
        if (weighted) {
            loss = BinaryCrossEntropyWithLogitsLoss.withPosWeight(Tensor.randomUniform(rnd, 0.2f, 3f, c));
        }
        check(loss, logits, targets);
    }

    @ParameterizedTest(name = "MSE shape {0}x{1}")
    @CsvSource({"1, 1", "2, 3", "4, 5"})
    void meanSquaredError(int n, int c) {
        SplittableRandom rnd = new SplittableRandom(5L * n + c);
        check(MseLoss.create(), grid(rnd, 2.0, n, c), Tensor.randomUniform(rnd, -2, 2, n, c));
    }

    /** Uniform values in (-range, range) rounded to multiples of 2^-12. */
    private static Tensor grid(SplittableRandom rnd, double range, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (Math.rint((rnd.nextDouble() * 2 - 1) * range / H) * H);
        }
        return t;
    }

    private static void check(Loss loss, Tensor predictions, Tensor targets) {
        LossValue analytic = loss.evaluate(predictions, targets);
        assertTrue(analytic.gradient().hasShape(predictions.shape()));
        float[] x = predictions.data();
        float[] g = analytic.gradient().data();
        for (int i = 0; i < x.length; i++) {
            float saved = x[i];
            x[i] = (float) (saved + H);
            double up = loss.evaluate(predictions, targets).value();
            x[i] = (float) (saved - H);
            double down = loss.evaluate(predictions, targets).value();
            x[i] = saved;
            double numeric = (up - down) / (2 * H);
            assertEquals(numeric, g[i], 2e-7 + 1e-6 * Math.abs(numeric), "d loss / d x[" + i + "]");
        }
    }
}
