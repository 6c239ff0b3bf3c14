package dev.netlens.explain.lrp;

import dev.netlens.core.tensor.Shapes;
import dev.netlens.core.tensor.Tensor;
import java.util.Arrays;

/** The few element-wise loops the rules need; every method returns a new tensor. */
final class TensorMath {
    private TensorMath() {
    }

    static Tensor map(Tensor t, java.util.function.DoubleUnaryOperator f) {
        float[] s = t.data();
        float[] d = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            d[i] = (float) f.applyAsDouble(s[i]);
        }
        return Tensor.of(d, t.shape());
    }

    static Tensor positive(Tensor t) {
        float[] s = t.data();
        float[] d = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            d[i] = s[i] > 0f ? s[i] : 0f;
        }
        return Tensor.of(d, t.shape());
    }

    static Tensor negative(Tensor t) {
        float[] s = t.data();
        float[] d = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            d[i] = s[i] < 0f ? s[i] : 0f;
        }
        return Tensor.of(d, t.shape());
    }

    /** z + ε·s(z) with s(z) = +1 for z ≥ 0 and −1 otherwise (zennit's stabilizer). */
    static Tensor stabilize(Tensor z, float epsilon) {
        float[] s = z.data();
        float[] d = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            d[i] = s[i] >= 0f ? s[i] + epsilon : s[i] - epsilon;
        }
        return Tensor.of(d, z.shape());
    }

    /** a / b element-wise (same shapes). */
    static Tensor divide(Tensor a, Tensor b) {
        requireSameShape(a, b);
        float[] x = a.data();
        float[] y = b.data();
        float[] d = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i] / y[i];
        }
        return Tensor.of(d, a.shape());
    }

    /** Σ_k c_k · t_k (same shapes). */
    static Tensor combine(float[] coefficients, Tensor... terms) {
        float[] d = new float[terms[0].size()];
        for (int k = 0; k < terms.length; k++) {
            requireSameShape(terms[0], terms[k]);
            float c = coefficients[k];
            float[] s = terms[k].data();
            for (int i = 0; i < d.length; i++) {
                d[i] += c * s[i];
            }
        }
        return Tensor.of(d, terms[0].shape());
    }

    /** a ⊙ b element-wise (same shapes). */
    static Tensor multiply(Tensor a, Tensor b) {
        requireSameShape(a, b);
        float[] x = a.data();
        float[] y = b.data();
        float[] d = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i] * y[i];
        }
        return Tensor.of(d, a.shape());
    }

    static void requireSameShape(Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalStateException("shape mismatch " + Shapes.toString(a.shape()) + " vs "
                    + Shapes.toString(b.shape()));
        }
    }
}
