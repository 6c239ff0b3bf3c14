package dev.netlens.explain.gradient;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.nn.ResNets;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.core.tensor.TensorArena;
import dev.netlens.explain.ExplainedModel;
import dev.netlens.explain.Explanation;
import dev.netlens.explain.Target;
import org.junit.jupiter.api.Test;

/**
 * Integrated gradients reuses each pass's arrays in the next pass (a {@code TensorArena} in
 * {@link PathIntegral}): with recycling off, on and poisoning (recycled arrays filled with NaN) the
 * attributions and convergence deltas are bit-identical, with and without the affine stem. The
 * model (a ResNet with the ImageNet stem: convolutions, batch norm, ReLU, max pooling, residual
 * sums) and the passes (16 rows of 64×64 images) are large enough for the arrays to be recycled.
 */
class IntegratedGradientsArenaTest {
    private static Explanation explain(String mode, boolean splitStem) {
        String before = System.getProperty("netlens.arena");
        System.setProperty("netlens.arena", mode);
        try {
            ExplainedModel m = ExplainedModel.of(ResNets.basic(new int[] {16, 32}, new int[] {1, 1}, 3, 5, true, 21));
            Tensor x = TestModels.random(22, 1f, 2, 3, 64, 64);
            return IntegratedGradients.builder(m).steps(40).internalBatch(8).splitStem(splitStem).build()
                    .explain(x, Target.classes(1, 3));
        } finally {
            if (before == null) {
                System.clearProperty("netlens.arena");
            } else {
                System.setProperty("netlens.arena", before);
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
