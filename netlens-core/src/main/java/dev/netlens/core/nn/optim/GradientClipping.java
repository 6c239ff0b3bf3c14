package dev.netlens.core.nn.optim;

import dev.netlens.core.tensor.Tensor;
import java.util.Map;
import java.util.Objects;

/**
 * In-place gradient clipping with PyTorch's semantics: {@link #clipNorm} is
 * {@code torch.nn.utils.clip_grad_norm_} (2-norm), {@link #clipValue} is
 * {@code torch.nn.utils.clip_grad_value_}. Norm clipping as in Pascanu et al., "On the difficulty
 * of training recurrent neural networks", ICML 2013.
 *
 * <pre>{@code
 * double norm = GradientClipping.clipNorm(grads, 1.0);   // before optimizer.step(params, grads)
 * }</pre>
 */
public final class GradientClipping {
    private static final String NAME = "GradientClipping";

    private GradientClipping() {
    }

    /**
     * Rescales all gradients together so that their total 2-norm (over every element of every
     * tensor) is at most about {@code maxNorm}: with {@code scale = maxNorm / (norm + 1e-6)}, every
     * element is multiplied by {@code scale} (rounded to float) when {@code scale < 1}.
     *
     * <p>The norm is accumulated in double. When it is not finite (a NaN or infinite gradient) the
     * gradients are left unchanged and the non-finite norm is returned, so the caller can skip the
     * step (PyTorch would multiply by NaN or 0).
     *
     * @param maxNorm finite, > 0
     * @return the total norm before clipping
     */
    public static double clipNorm(Map<String, Tensor> gradients, double maxNorm) {
        Objects.requireNonNull(gradients, "gradients");
        Checks.positive(NAME, "maximum norm", maxNorm);
        double sumSquares = 0;
        for (Tensor g : gradients.values()) {
            for (float v : g.data()) {
                sumSquares += (double) v * v;
            }
        }
        double norm = Math.sqrt(sumSquares);
        double scale = maxNorm / (norm + 1e-6);
        if (scale < 1) {
            float s = (float) scale;
            for (Tensor g : gradients.values()) {
                float[] d = g.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] *= s;
                }
            }
        }
        return norm;
    }

    /**
     * Clamps every gradient element to {@code [-clipValue, clipValue]} (NaN stays NaN).
     *
     * @param clipValue finite, > 0
     */
    public static void clipValue(Map<String, Tensor> gradients, double clipValue) {
        Objects.requireNonNull(gradients, "gradients");
        Checks.positive(NAME, "clip value", clipValue);
        float hi = (float) clipValue;
        float lo = -hi;
        for (Tensor g : gradients.values()) {
            float[] d = g.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = Math.max(lo, Math.min(hi, d[i]));
            }
        }
    }
}
