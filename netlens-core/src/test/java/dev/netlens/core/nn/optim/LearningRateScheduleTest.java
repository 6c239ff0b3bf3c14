package dev.netlens.core.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.nn.NnGoldens;
import org.junit.jupiter.api.Test;

/** Schedules against torch.optim.lr_scheduler (goldens) to 1e-9, plus edge cases and validation. */
class LearningRateScheduleTest {
    private static final NnGoldens G = NnGoldens.load();
    private static final int SPE = (int) G.scalar("sched.step_per_epoch");

    @Test
    void stepDecayMatchesStepLr() {
        double[] want = G.doubles("sched.step_lr");
        LearningRateSchedule s = LearningRateSchedule.stepDecay(0.1, 3, 0.5);
        for (int epoch = 0; epoch < want.length; epoch++) {
            for (int step = 0; step < SPE; step++) {
                assertEquals(want[epoch], s.learningRate(epoch, step, SPE), 1e-9, "epoch " + epoch);
            }
        }
    }

    @Test
    void cosineMatchesCosineAnnealingLrPerStep() {
        double[] want = G.doubles("sched.cosine");                  // T_max = 5 epochs · 7 steps, eta_min 1e-3
        LearningRateSchedule byEpochs = LearningRateSchedule.cosineAnnealing(0.1, 1e-3, 5);
        LearningRateSchedule bySteps = LearningRateSchedule.cosineAnnealingSteps(0.1, 1e-3, 5L * SPE);
        double maxDeviation = 0;
        for (int g = 0; g < want.length; g++) {
            double a = byEpochs.learningRate(g / SPE, g % SPE, SPE);
            assertEquals(want[g], a, 1e-9, "step " + g);
            assertEquals(a, bySteps.learningRate(g / SPE, g % SPE, SPE), 0);
            maxDeviation = Math.max(maxDeviation, Math.abs(a - want[g]));
        }
        assertEquals(1e-3, byEpochs.learningRate(9, 3, SPE), 0, "stays at the minimum after T_max");
        System.out.printf("cosine: max |netlens - PyTorch| = %.3g%n", maxDeviation);
    }

    @Test
    void warmupMatchesChainedLinearLr() {
        double[] want = G.doubles("sched.warmup_cosine");
        LearningRateSchedule s = LearningRateSchedule.cosineAnnealing(0.1, 0, 5).withLinearWarmup(0.1, 8);
        double maxDeviation = 0;
        for (int g = 0; g < want.length; g++) {
            double a = s.learningRate(g / SPE, g % SPE, SPE);
            assertEquals(want[g], a, 1e-9, "step " + g);
            maxDeviation = Math.max(maxDeviation, Math.abs(a - want[g]));
        }
        want = G.doubles("sched.warmup_constant");
        s = LearningRateSchedule.constant(0.1).withLinearWarmup(0.25, 10);
        for (int g = 0; g < want.length; g++) {
            double a = s.learningRate(g / SPE, g % SPE, SPE);
            assertEquals(want[g], a, 1e-9, "step " + g);
            maxDeviation = Math.max(maxDeviation, Math.abs(a - want[g]));
        }
        System.out.printf("warm-up: max |netlens - PyTorch| = %.3g%n", maxDeviation);
    }

    @Test
    void warmupFromZeroAndConstant() {
        LearningRateSchedule s = LearningRateSchedule.constant(0.5).withLinearWarmup(0, 4);
        assertEquals(0, s.learningRate(0, 0, 3));
        assertEquals(0.25, s.learningRate(0, 2, 3), 1e-15);
        assertEquals(0.5, s.learningRate(1, 1, 3));
        assertEquals(0.5, LearningRateSchedule.constant(0.5).learningRate(100, 0, 1));
    }

    @Test
    void validatesArgumentsAndPositions() {
        LearningRateSchedule c = LearningRateSchedule.constant(0.1);
        String m = assertThrows(IllegalArgumentException.class, () -> c.learningRate(0, 5, 5)).getMessage();
        assertTrue(m.contains("0 <= step < stepsPerEpoch"), m);
        assertThrows(IllegalArgumentException.class, () -> c.learningRate(-1, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> c.learningRate(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(0.1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(0.1, 2, 0));
        m = assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.cosineAnnealing(0.1, 0.2, 10)).getMessage();
        assertTrue(m.contains("[0, initial"), m);
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosineAnnealingSteps(0.1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> c.withLinearWarmup(1.5, 10));
        assertThrows(IllegalArgumentException.class, () -> c.withLinearWarmup(0.5, 0));
    }
}
