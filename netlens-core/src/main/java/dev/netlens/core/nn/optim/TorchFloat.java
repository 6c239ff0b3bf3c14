package dev.netlens.core.nn.optim;

/**
 * The float32 arithmetic of PyTorch's CPU tensor ops that the optimisers use, so that updates agree
 * with {@code torch.optim} to the last bit where possible. Measured on PyTorch 1.13 (AVX2 kernels,
 * {@code make_optimizer_goldens.py}): {@code a.add(b, alpha)} is one fused multiply-add,
 * {@code addcmul} fuses its final addition, {@code addcdiv} and scalar {@code mul}/{@code div} round
 * every operation. Python-float scalars are rounded to float before use, as PyTorch does.
 */
final class TorchFloat {
    private TorchFloat() {
    }

    /** {@code a.add(b, alpha=alpha)}. */
    static float add(float a, float b, float alpha) {
        return Math.fma(b, alpha, a);
    }

    /** {@code self.addcmul(t1, t2, value=value)}. */
    static float addcmul(float self, float t1, float t2, float value) {
        return Math.fma(value * t1, t2, self);
    }

    /** {@code self.addcdiv(t1, t2, value=value)}. */
    static float addcdiv(float self, float t1, float t2, float value) {
        return self + value * t1 / t2;
    }
}
