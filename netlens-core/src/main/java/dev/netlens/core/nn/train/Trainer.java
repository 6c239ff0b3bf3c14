package dev.netlens.core.nn.train;

import dev.netlens.core.graph.Trace;
import dev.netlens.core.nn.loss.Loss;
import dev.netlens.core.nn.loss.LossValue;
import dev.netlens.core.nn.optim.GradientClipping;
import dev.netlens.core.nn.optim.LearningRateSchedule;
import dev.netlens.core.nn.optim.Optimizer;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.core.tensor.TensorArena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The training loop: mini-batch gradient descent with a loss, an optimiser and a learning-rate
 * schedule, validation after every epoch, the best model handed to a callback, early stopping,
 * and checkpoints from which an interrupted run resumes bit-exactly.
 *
 * <p><b>Determinism.</b> Everything random is a pure function of the seed and the position in the
 * run: the data source derives each epoch's order and augmentation from the epoch number, and
 * each step's dropout masks come from a seed mixed from the run seed and the global step. A run
 * killed at any point and resumed from its last checkpoint therefore ends with exactly the
 * weights of an uninterrupted run (tested).
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(new CrossEntropyLoss(), Sgd.builder(0.1).momentum(0.9).build())
 *         .epochs(10).schedule(cosine).checkpoint(Path.of("run.ckpt"), 200).build();
 * List<EpochSummary> history = trainer.fit(new TrainableModel(graph), train, validation, best -> save(best));
 * }</pre>
 */
public final class Trainer {
    private final Loss loss;
    private final Optimizer optimizer;
    /** Arrays reused from one training step to the next (see {@link #trainStep}). */
    private final TensorArena arena = TensorArena.create();
    private final LearningRateSchedule schedule;
    private final int epochs;
    private final long seed;
    private final double clipNorm;
    private final Path checkpoint;
    private final int checkpointEvery;
    private final int patience;
    private final boolean resume;
    private final Map<String, String> config;
    private final TrainingListener listener;

    private Trainer(Builder b) {
        this.loss = b.loss;
        this.optimizer = b.optimizer;
        this.schedule = b.schedule;
        this.epochs = b.epochs;
        this.seed = b.seed;
        this.clipNorm = b.clipNorm;
        this.checkpoint = b.checkpoint;
        this.checkpointEvery = b.checkpointEvery;
        this.patience = b.patience;
        this.resume = b.resume;
        this.config = Map.copyOf(b.config);
        this.listener = b.listener;
    }

    public static Builder builder(Loss loss, Optimizer optimizer) {
        return new Builder(loss, optimizer);
    }

    /** Mutable progress of a run; what a checkpoint stores besides tensors. */
    private static final class Progress {
        int epoch;
        int step;
        long globalStep;
        double lossSum;
        long correct;
        long counted;
        long examples;
        double bestMetric = Double.NEGATIVE_INFINITY;
        int staleEpochs;
        final List<EpochSummary> history = new ArrayList<>();

        Map<String, String> encode(Map<String, String> config) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("epoch", Integer.toString(epoch));
            m.put("step", Integer.toString(step));
            m.put("global_step", Long.toString(globalStep));
            m.put("loss_sum", Double.toString(lossSum));
            m.put("correct", Long.toString(correct));
            m.put("counted", Long.toString(counted));
            m.put("examples", Long.toString(examples));
            m.put("best_metric", Double.toString(bestMetric));
            m.put("stale_epochs", Integer.toString(staleEpochs));
            for (int i = 0; i < history.size(); i++) {
                m.put("history." + i, history.get(i).encode());
            }
            config.forEach((k, v) -> m.put("config." + k, v));
            return m;
        }

        static Progress decode(Map<String, String> m) {
            Progress p = new Progress();
            p.epoch = Integer.parseInt(m.get("epoch"));
            p.step = Integer.parseInt(m.get("step"));
            p.globalStep = Long.parseLong(m.get("global_step"));
            p.lossSum = Double.parseDouble(m.get("loss_sum"));
            p.correct = Long.parseLong(m.get("correct"));
            p.counted = Long.parseLong(m.get("counted"));
            p.examples = Long.parseLong(m.get("examples"));
            p.bestMetric = Double.parseDouble(m.get("best_metric"));
            p.staleEpochs = Integer.parseInt(m.get("stale_epochs"));
            for (int i = 0; m.containsKey("history." + i); i++) {
                p.history.add(EpochSummary.decode(m.get("history." + i)));
            }
            return p;
        }
    }

    /**
     * Trains {@code model} in place.
     *
     * @param validation evaluated after every epoch (null: none; the best model is then the one with
     *     the best training accuracy, or the lowest training loss when targets are not classes)
     * @param onBest called with the model whenever an epoch is the best so far (e.g. to save it)
     * @return one summary per epoch, including epochs run before a resume
     */
    public List<EpochSummary> fit(TrainableModel model, TrainingData train, TrainingData validation,
                                  Consumer<TrainableModel> onBest) {
        int steps = train.batchesPerEpoch();
        if (steps < 1) {
            throw new IllegalArgumentException("the training data yields no batches (fewer examples than one batch?)");
        }
        Progress p = new Progress();
        boolean resumed = false;
        if (resume && checkpoint != null && Files.exists(checkpoint)) {
            Checkpoint c = Checkpoint.read(checkpoint);
            requireSameConfig(c.state());
            model.load(c.model());
            optimizer.loadState(c.optimizer());
            p = Progress.decode(c.state());
            resumed = true;
        }
        listener.started(p.epoch, p.step, epochs, steps, resumed);
        List<String> trainable = model.trainableNames();
        while (p.epoch < epochs) {
            if (patience > 0 && p.staleEpochs >= patience) {
                break;
            }
            long epochStart = System.nanoTime();
            double lr = optimizer.learningRate();
            try (TrainingData.Batches batches = train.epoch(p.epoch, p.step)) {
                while (p.step < steps) {
                    if (!batches.hasNext()) {
                        throw new IllegalStateException("the training data ended after " + p.step + " of " + steps
                                + " batches in epoch " + (p.epoch + 1));
                    }
                    LabeledBatch batch = batches.next();
                    if (schedule != null) {
                        optimizer.learningRate(schedule.learningRate(p.epoch, p.step, steps));
                    }
                    lr = optimizer.learningRate();
                    try (TensorArena.Scope scope = arena.enter()) {
                        trainStep(model, batch, p, trainable);
                    }
                    p.step++;
                    p.globalStep++;
                    listener.step(p.epoch, p.step, steps, p.lossSum / p.examples, ratio(p.correct, p.counted), lr);
                    if (checkpoint != null && checkpointEvery > 0 && p.step % checkpointEvery == 0 && p.step < steps) {
                        save(model, p);
                    }
                }
            }
            double trainLoss = p.lossSum / Math.max(1, p.examples);
            double trainAcc = ratio(p.correct, p.counted);
            double valLoss = Double.NaN;
            double valAcc = Double.NaN;
            if (validation != null) {
                listener.validating(p.epoch);
                double[] v = evaluate(model, validation, loss);
                valLoss = v[0];
                valAcc = v[1];
            }
            double metric = validation != null ? (Double.isNaN(valAcc) ? -valLoss : valAcc)
                    : (Double.isNaN(trainAcc) ? -trainLoss : trainAcc);
            boolean best = metric > p.bestMetric;
            if (best) {
                p.bestMetric = metric;
                p.staleEpochs = 0;
                if (onBest != null) {
                    onBest.accept(model);
                }
            } else {
                p.staleEpochs++;
            }
            EpochSummary summary = new EpochSummary(p.epoch, trainLoss, trainAcc, valLoss, valAcc, lr,
                    (System.nanoTime() - epochStart) / 1e9, best);
            p.history.add(summary);
            p.epoch++;
            p.step = 0;
            p.lossSum = 0;
            p.correct = 0;
            p.counted = 0;
            p.examples = 0;
            listener.epochEnded(summary);
            if (checkpoint != null) {
                save(model, p);
            }
            if (patience > 0 && p.staleEpochs >= patience && p.epoch < epochs) {
                listener.stoppedEarly(p.epoch - 1, patience);
                break;
            }
        }
        arena.release();
        return List.copyOf(p.history);
    }

    /** Mean loss and accuracy (NaN if targets are not class indices) of the model on a data set. */
    public static double[] evaluate(TrainableModel model, TrainingData data, Loss loss) {
        double sum = 0;
        long n = 0;
        ClassificationMetrics metrics = null;
        TensorArena arena = TensorArena.create();
        try (TrainingData.Batches batches = data.epoch(0, 0)) {
            while (batches.hasNext()) {
                LabeledBatch b = batches.next();
                try (TensorArena.Scope scope = arena.enter()) {
                    Tensor out = model.predict(b.inputs());
                    sum += loss.evaluate(out, b.targets()).value() * b.size();
                    n += b.size();
                    if (isClassification(out, b.targets())) {
                        if (metrics == null) {
                            metrics = new ClassificationMetrics(out.dim(1));
                        }
                        metrics.add(out, b.targets());
                    }
                }
            }
        }
        return new double[] {n == 0 ? Double.NaN : sum / n, metrics == null ? Double.NaN : metrics.accuracy()};
    }

    private void save(TrainableModel model, Progress p) {
        Map<String, Tensor> values = new LinkedHashMap<>();
        model.values().forEach((k, v) -> values.put(k, v.copy()));
        new Checkpoint(p.encode(config), values, optimizer.state()).write(checkpoint);
        listener.checkpointed(checkpoint);
    }

    private void requireSameConfig(Map<String, String> state) {
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> e : config.entrySet()) {
            String saved = state.get("config." + e.getKey());
            if (saved != null && !saved.equals(e.getValue())) {
                differences.add(e.getKey() + " was " + saved + ", now " + e.getValue());
            }
        }
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " belongs to a run with other settings ("
                    + String.join("; ", differences) + "); use the same settings to resume, or another --out / delete "
                    + "the checkpoint to start over");
        }
    }

    private static boolean isClassification(Tensor outputs, Tensor targets) {
        return outputs.rank() == 2 && targets.rank() == 1 && targets.dim(0) == outputs.dim(0);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

    /**
     * One optimizer step on one batch. Runs inside a {@link TensorArena} scope: the trace's arrays
     * are reused by the next step, so nothing from the trace is kept (the optimizer, the buffers
     * and the metrics copy what they need).
     */
    private void trainStep(TrainableModel model, LabeledBatch batch, Progress p, List<String> trainable) {
        Trace trace = model.trainingPass(batch.inputs(), mix(seed, p.globalStep));
        Tensor outputs = trace.output(model.outputName());
        LossValue value = loss.evaluate(outputs, batch.targets());
        if (!Double.isFinite(value.value())) {
            throw new IllegalStateException("the loss became " + value.value() + " at epoch " + (p.epoch + 1)
                    + ", step " + (p.step + 1) + "; lower the learning rate or clip gradients (--clip-norm)");
        }
        Map<String, Tensor> grads = trace.gradients(Map.of(model.outputName(), value.gradient()), trainable);
        if (clipNorm > 0) {
            GradientClipping.clipNorm(grads, clipNorm);
        }
        optimizer.step(model.trainableValues(), grads);
        model.updateBuffers(trace);
        p.lossSum += value.value() * batch.size();
        p.examples += batch.size();
        if (isClassification(outputs, batch.targets())) {
            ClassificationMetrics m = new ClassificationMetrics(outputs.dim(1));
            m.add(outputs, batch.targets());
            p.correct += m.correct();
            p.counted += m.total();
        }
    }

    /** A well-mixed seed for step {@code step} of a run seeded with {@code seed} (SplitMix64 finaliser). */
    static long mix(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Builder; defaults: 10 epochs, seed 0, constant learning rate, no clipping, no checkpoints, no early stopping. */
    public static final class Builder {
        private final Loss loss;
        private final Optimizer optimizer;
        private LearningRateSchedule schedule;
        private int epochs = 10;
        private long seed;
        private double clipNorm;
        private Path checkpoint;
        private int checkpointEvery;
        private int patience;
        private boolean resume = true;
        private final Map<String, String> config = new LinkedHashMap<>();
        private TrainingListener listener = new TrainingListener() {
        };

        private Builder(Loss loss, Optimizer optimizer) {
            this.loss = Objects.requireNonNull(loss, "loss");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Seed of the per-step randomness (dropout); data order is seeded by the data source. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Clips the gradients' total 2-norm to this value before each step (0: off). */
        public Builder clipNorm(double maxNorm) {
            if (!(maxNorm >= 0)) {
                throw new IllegalArgumentException("clip norm must be >= 0 (0 = off), got " + maxNorm);
            }
            this.clipNorm = maxNorm;
            return this;
        }

        /**
         * Writes a checkpoint to {@code file} after every epoch and every {@code everySteps} steps
         * (0: epoch ends only), and resumes from it when it exists.
         */
        public Builder checkpoint(Path file, int everySteps) {
            if (everySteps < 0) {
                throw new IllegalArgumentException("checkpoint interval must be >= 0 steps, got " + everySteps);
            }
            this.checkpoint = file;
            this.checkpointEvery = everySteps;
            return this;
        }

        /** Whether an existing checkpoint is resumed (default true). */
        public Builder resume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** Stops after {@code epochs} epochs without a new best (0: never). */
        public Builder patience(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("patience must be >= 0 epochs (0 = no early stopping), got " + epochs);
            }
            this.patience = epochs;
            return this;
        }

        /** Settings stored in checkpoints; resuming with different values is refused. */
        public Builder config(Map<String, String> config) {
            this.config.putAll(config);
            return this;
        }

        public Builder listener(TrainingListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        public Trainer build() {
            return new Trainer(this);
        }
    }
}
