package dev.netlens.core.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.nn.NetBuilder;
import dev.netlens.core.nn.loss.CrossEntropyLoss;
import dev.netlens.core.nn.optim.Sgd;
import dev.netlens.core.tensor.ArenaModes;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.core.tensor.TensorArena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Training steps reuse their arrays through a {@link TensorArena}: with recycling off, on, and
 * poisoning (recycled arrays filled with NaN before reuse) the weights, running statistics and
 * losses after several steps and a validation pass are bit-identical. The activations here are
 * large enough (batch 128 × 16 channels × 8 × 8) to be recycled.
 */
class TrainerArenaTest {
    static Graph net() {
        NetBuilder b = new NetBuilder(5).input("input", 1, 8, 8);
        String x = b.relu("relu1", b.batchNorm2d("bn1", b.conv2d("conv1", "input", 16, 3, 1, 1, false)));
        x = b.residualBlock("block", x, 16, 1);
        x = b.maxPool("pool", x, 2, 2);
        x = b.flatten("flatten", b.globalAvgPool("gap", x));
        return b.build(b.linear("fc", x, 4, "logits"));
    }

    private static Map<String, Tensor> train(String mode, List<Double> losses) {
        return ArenaModes.with(mode, () -> {
            TrainableModel model = new TrainableModel(net());
            Trainer t = Trainer.builder(CrossEntropyLoss.create(), Sgd.builder().learningRate(0.05).momentum(0.9).build())
                    .epochs(2).seed(3).build();
            for (EpochSummary e : t.fit(model, new TrainerTest.Quadrants(512, 128, 1),
                    new TrainerTest.Quadrants(256, 128, 2), null)) {
                losses.add(e.trainLoss());
                losses.add(e.validationLoss());
            }
            return model.values();
        });
    }

    @Test
    void recycledArraysChangeNoBitOfTraining() {
        List<Double> offLosses = new ArrayList<>();
        Map<String, Tensor> off = train("off", offLosses);
        assertTrue(offLosses.stream().allMatch(Double::isFinite), offLosses.toString());
        for (String mode : List.of("poison", "on")) {
            List<Double> losses = new ArrayList<>();
            long reused = TensorArena.reusedArrays();
            Map<String, Tensor> w = train(mode, losses);
            assertTrue(TensorArena.reusedArrays() > reused + 50, mode + ": arrays were recycled");
            assertEquals(offLosses, losses, mode);
            assertEquals(off.keySet(), w.keySet());
            off.forEach((name, v) -> assertArrayEquals(v.data(), w.get(name).data(), mode + ": " + name));
        }
    }
}
