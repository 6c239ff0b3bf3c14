package dev.netlens.explain.gradient;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.nn.ResNets;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.core.tensor.TensorArena;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Gradients;
import dev.netlens.explain.Target;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Gradients of consecutive calls reuse each other's arrays (the thread's shared arena), and
 * integrated gradients reuses each pass's arrays in the next pass (a {@code TensorArena} in
 * {@link PathIntegral}): with recycling off, on and poisoning (recycled arrays filled with NaN) the
 * attributions and convergence deltas are bit-identical, with and without the affine stem. The
 * model (a ResNet with the ImageNet stem: convolutions, batch norm, ReLU, max pooling, residual
 * sums) and the passes (16 rows of 64×64 images) are large enough for the arrays to be recycled.
 */
class IntegratedGradientsArenaTest {
    /** {@code body}'s result with {@code netlens.arena} set to {@code mode}, restored after. */
    private static <T> T inMode(String mode, Supplier<T> body) {
        String before = System.getProperty("netlens.arena");
        System.setProperty("netlens.arena", mode);
        try {
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty("netlens.arena");
            } else {
                System.setProperty("netlens.arena", before);
            }
        }
    }

    private static Explanation explain(String mode, boolean splitStem) {
        return inMode(mode, () -> {
            ExplainedModel m = ExplainedModel.of(ResNets.basic(new int[] {16, 32}, new int[] {1, 1}, 3, 5, true, 21));
            Tensor x = TestModels.random(22, 1f, 2, 3, 64, 64);
            return IntegratedGradients.builder(m).steps(40).internalBatch(8).splitStem(splitStem).build()
                    .explain(x, Target.classes(1, 3));
        });
    }

    private static Gradients.InputGradient[] gradientsTwice(String mode) {
        return inMode(mode, () -> {
            ExplainedModel m = ExplainedModel.of(ResNets.basic(new int[] {16, 32}, new int[] {1, 1}, 3, 5, true, 23));
            Tensor x = TestModels.random(24, 1f, 4, 3, 96, 96);
            Tensor x2 = TestModels.random(25, 1f, 4, 3, 96, 96);
            // The second call reuses the first one's arrays; the first call's results must survive it.
            Gradients.InputGradient first = Gradients.input(m, x, Target.classes(1, 3, 0, 2));
            Gradients.InputGradient second = Gradients.input(m, x2, Target.classes(0, 4, 4, 1));
            return new Gradients.InputGradient[] {first, second};
        });
    }

    @Test
    void gradientsOfConsecutiveCallsAreUnchangedByRecycling() {
        Gradients.InputGradient[] off = gradientsTwice("off");
        for (String mode : new String[] {"poison", "on"}) {
            long reused = TensorArena.reusedArrays();
            Gradients.InputGradient[] g = gradientsTwice(mode);
            assertTrue(TensorArena.reusedArrays() > reused + 5, mode + ": arrays were recycled");
            for (int i = 0; i < 2; i++) {
                TestModels.assertBitIdentical(off[i].gradient(), g[i].gradient(), mode + " call " + i + " gradient");
                TestModels.assertBitIdentical(off[i].output(), g[i].output(), mode + " call " + i + " output");
            }
        }
    }

    @Test
    void recycledArraysChangeNoBitOfTheAttributions() {
        for (boolean splitStem : new boolean[] {true, false}) {
            Explanation off = explain("off", splitStem);
            for (String mode : new String[] {"poison", "on"}) {
                long reused = TensorArena.reusedArrays();
                Explanation e = explain(mode, splitStem);
                assertTrue(TensorArena.reusedArrays() > reused + 10, mode + ": arrays were recycled");
                String what = mode + (splitStem ? " with the affine stem" : " without");
                TestModels.assertBitIdentical(off.map(), e.map(), what);
                TestModels.assertBitIdentical(off.extras().get(IntegratedGradients.CONVERGENCE_DELTA),
                        e.extras().get(IntegratedGradients.CONVERGENCE_DELTA), what + ": delta");
            }
        }
    }
}
