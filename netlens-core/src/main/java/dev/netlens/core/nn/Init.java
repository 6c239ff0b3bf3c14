package dev.netlens.core.nn;

import dev.netlens.core.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Weight initialisers for layers with a fan-in and a fan-out (fan = channels × kernel area).
 *
 * <ul>
 *   <li>{@link #KAIMING_NORMAL_FAN_OUT}: N(0, 2 / fan_out) — He et al., "Delving Deep into
 *       Rectifiers", ICCV 2015; torchvision's ResNet convolutions.</li>
 *   <li>{@link #KAIMING_NORMAL_FAN_IN}: N(0, 2 / fan_in).</li>
 *   <li>{@link #XAVIER_UNIFORM}: U(±√(6 / (fan_in + fan_out))) — Glorot and Bengio, "Understanding
 *       the difficulty of training deep feedforward neural networks", AISTATS 2010.</li>
 *   <li>{@link #PYTORCH_DEFAULT}: U(±1/√fan_in), PyTorch's default for Conv2d and Linear
 *       (kaiming_uniform with a = √5).</li>
 * </ul>
 * Biases are always U(±1/√fan_in), as in PyTorch.
 */
public enum Init {
    KAIMING_NORMAL_FAN_OUT, KAIMING_NORMAL_FAN_IN, XAVIER_UNIFORM, PYTORCH_DEFAULT;

    /** A weight tensor of the given shape ([out, in, kh, kw] or [out, in]). */
    public Tensor weight(SplittableRandom random, int fanIn, int fanOut, int... shape) {
        return switch (this) {
            case KAIMING_NORMAL_FAN_OUT -> Tensor.randomNormal(random, (float) Math.sqrt(2.0 / fanOut), shape);
            case KAIMING_NORMAL_FAN_IN -> Tensor.randomNormal(random, (float) Math.sqrt(2.0 / fanIn), shape);
            case XAVIER_UNIFORM -> {
                float a = (float) Math.sqrt(6.0 / (fanIn + fanOut));
                yield Tensor.randomUniform(random, -a, a, shape);
            }
            case PYTORCH_DEFAULT -> {
                float a = (float) (1.0 / Math.sqrt(fanIn));
                yield Tensor.randomUniform(random, -a, a, shape);
            }
        };
    }

    /** A bias of the given length: U(±1/√fan_in). */
    public static Tensor bias(SplittableRandom random, int fanIn, int length) {
        float a = (float) (1.0 / Math.sqrt(fanIn));
        return Tensor.randomUniform(random, -a, a, length);
    }

    /** Parses "kaiming-normal-fan-out", "kaiming-normal-fan-in", "xavier-uniform" or "pytorch-default". */
    public static Init parse(String s) {
        for (Init i : values()) {
            if (i.name().replace('_', '-').equalsIgnoreCase(s.trim())) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown initialiser '" + s + "'; valid: kaiming-normal-fan-out, "
                + "kaiming-normal-fan-in, xavier-uniform, pytorch-default");
    }
}
