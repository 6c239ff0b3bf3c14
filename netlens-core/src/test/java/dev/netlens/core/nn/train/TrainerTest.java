package dev.netlens.core.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.nn.NetBuilder;
import dev.netlens.core.nn.loss.CrossEntropyLoss;
import dev.netlens.core.nn.optim.LearningRateSchedule;
import dev.netlens.core.nn.optim.Sgd;
import dev.netlens.core.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path dir;

    /**
     * Planted task: class k of 4 has a bright 3×3 patch in quadrant k of an 8×8 noisy image. Each
     * epoch's order is a pure function of the epoch, as the TrainingData contract requires.
     */
    static final class Quadrants implements TrainingData {
        final int n;
        final int batch;
        final long seed;
        final float[][] images;
        final int[] labels;

        Quadrants(int n, int batch, long seed) {
            this.n = n;
            this.batch = batch;
            this.seed = seed;
            SplittableRandom r = new SplittableRandom(seed);
            images = new float[n][64];
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                int k = r.nextInt(4);
                labels[i] = k;
                for (int p = 0; p < 64; p++) {
                    images[i][p] = (float) (0.3 * r.nextGaussian());
                }
                int y0 = (k / 2) * 4 + r.nextInt(2);
                int x0 = (k % 2) * 4 + r.nextInt(2);
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 3; x++) {
                        images[i][(y0 + y) * 8 + x0 + x] += 1f;
                    }
                }
            }
        }

        @Override
        public int batchesPerEpoch() {
            return n / batch;
        }

        @Override
        public int examplesPerEpoch() {
            return batchesPerEpoch() * batch;
        }

        @Override
        public Batches epoch(int epoch, int startBatch) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            SplittableRandom r = new SplittableRandom(seed * 31 + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            AtomicInteger next = new AtomicInteger(startBatch);
            return new Batches() {
                @Override
                public boolean hasNext() {
                    return next.get() < batchesPerEpoch();
                }

                @Override
                public LabeledBatch next() {
                    int b = next.getAndIncrement();
                    float[] x = new float[batch * 64];
                    float[] t = new float[batch];
                    for (int i = 0; i < batch; i++) {
                        int e = order[b * batch + i];
                        System.arraycopy(images[e], 0, x, i * 64, 64);
                        t[i] = labels[e];
                    }
                    return new LabeledBatch(Tensor.of(x, batch, 1, 8, 8), Tensor.of(t, batch));
                }

                @Override
                public void close() {
                }
            };
        }
    }

    static Graph net(long seed) {
        NetBuilder b = new NetBuilder(seed).input("input", 1, 8, 8);
        String x = b.relu("relu1", b.batchNorm2d("bn1", b.conv2d("conv1", "input", 8, 3, 1, 1, false)));
        x = b.maxPool("pool", x, 2, 2);
        x = b.dropout("drop", b.flatten("flatten", x), 0.2f);
        return b.build(b.linear("fc", x, 4, "logits"));
    }

    private static Trainer.Builder trainer(Path checkpoint, TrainingListener listener) {
        Trainer.Builder b = Trainer.builder(CrossEntropyLoss.create(),
                        Sgd.builder().learningRate(0.1).momentum(0.9).nesterov(true).weightDecay(1e-4).build())
                .epochs(3).seed(11).schedule(LearningRateSchedule.cosineAnnealing(0.1, 0, 3)).clipNorm(5)
                .config(Map.of("test", "resume"));
        if (checkpoint != null) {
            b.checkpoint(checkpoint, 2);
        }
        if (listener != null) {
            b.listener(listener);
        }
        return b;
    }

    @Test
    void learnsAPlantedTaskAndReportsTheBestEpoch() {
        TrainableModel model = new TrainableModel(net(1));
        List<Integer> bestEpochs = new ArrayList<>();
        List<EpochSummary> history = trainer(null, null).build()
                .fit(model, new Quadrants(512, 32, 1), new Quadrants(256, 64, 2), m -> bestEpochs.add(bestEpochs.size()));
        assertEquals(3, history.size());
        EpochSummary last = history.get(2);
        assertTrue(last.validationAccuracy() > 0.95, last.format());
        assertTrue(last.trainLoss() < history.get(0).trainLoss(), "loss decreases: " + history);
        assertFalse(bestEpochs.isEmpty());
        double[] eval = Trainer.evaluate(model, new Quadrants(256, 64, 2), CrossEntropyLoss.create());
        assertEquals(last.validationAccuracy(), eval[1], 1e-12);
    }

    @Test
    void aRunKilledAnywhereAndResumedEndsWithTheUninterruptedWeights() {
        TrainableModel reference = new TrainableModel(net(3));
        trainer(dir.resolve("reference.ckpt"), null).build().fit(reference, new Quadrants(256, 32, 4), null, null);

        for (int killAt : new int[] {1, 5, 8, 13}) {
            Path ckpt = dir.resolve("killed-" + killAt + ".ckpt");
            AtomicInteger steps = new AtomicInteger();
            TrainingListener killer = new TrainingListener() {
                @Override
                public void step(int epoch, int step, int stepsPerEpoch, double loss, double accuracy, double lr) {
                    if (steps.incrementAndGet() == killAt) {
                        throw new IllegalStateException("killed");
                    }
                }
            };
            TrainableModel first = new TrainableModel(net(3));
            assertThrows(IllegalStateException.class,
                    () -> trainer(ckpt, killer).build().fit(first, new Quadrants(256, 32, 4), null, null));
            // a fresh process: a new model from the same seed, resumed from the checkpoint (if one was written)
            TrainableModel resumed = new TrainableModel(net(3));
            List<EpochSummary> history = trainer(ckpt, null).build().fit(resumed, new Quadrants(256, 32, 4), null, null);
            assertEquals(3, history.size());
            for (Map.Entry<String, Tensor> e : reference.values().entrySet()) {
                assertArrayEquals(e.getValue().data(), resumed.values().get(e.getKey()).data(),
                        e.getKey() + " differs after a kill at step " + killAt);
            }
        }
    }

    @Test
    void resumingWithOtherSettingsIsRefused() throws Exception {
        Path ckpt = dir.resolve("run.ckpt");
        trainer(ckpt, null).epochs(1).build().fit(new TrainableModel(net(1)), new Quadrants(64, 32, 1), null, null);
        assertTrue(Files.exists(ckpt));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(ckpt, null)
                .config(Map.of("test", "other")).build().fit(new TrainableModel(net(1)), new Quadrants(64, 32, 1), null, null));
        assertTrue(e.getMessage().contains("test was resume, now other"), e.getMessage());
    }

    @Test
    void earlyStoppingEndsARunWithoutProgress() {
        // no batch norm and a learning rate so small that validation accuracy cannot change
        NetBuilder b = new NetBuilder(1).input("input", 1, 8, 8);
        String x = b.flatten("flatten", b.relu("relu", b.conv2d("conv", "input", 4, 3, 1, 1)));
        Graph frozen = b.build(b.linear("fc", x, 4, "logits"));
        Trainer t = Trainer.builder(CrossEntropyLoss.create(), Sgd.builder().learningRate(1e-12).build())
                .epochs(10).patience(2).build();
        List<EpochSummary> history = t.fit(new TrainableModel(frozen), new Quadrants(64, 32, 1), new Quadrants(64, 32, 2), null);
        assertEquals(3, history.size(), history.toString());
    }
}
