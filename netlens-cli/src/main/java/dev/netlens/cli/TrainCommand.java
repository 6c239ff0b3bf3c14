package dev.netlens.cli;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.nn.Architectures;
import dev.netlens.core.nn.loss.CrossEntropyLoss;
import dev.netlens.core.nn.optim.Adam;
import dev.netlens.core.nn.optim.AdamW;
import dev.netlens.core.nn.optim.LearningRateSchedule;
import dev.netlens.core.nn.optim.Optimizer;
import dev.netlens.core.nn.optim.Sgd;
import dev.netlens.core.nn.train.EpochSummary;
import dev.netlens.core.nn.train.TrainableModel;
import dev.netlens.core.nn.train.Trainer;
import dev.netlens.core.nn.train.TrainingListener;
import dev.netlens.core.onnx.OnnxExporter;
import dev.netlens.data.datasets.BatchLoader;
import dev.netlens.data.datasets.Dataset;
import dev.netlens.data.datasets.DatasetTrainingData;
import dev.netlens.data.datasets.Split;
import dev.netlens.data.datasets.Transform;
import dev.netlens.data.datasets.Transforms;
import dev.netlens.data.images.ImagePreprocessing;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code netlens train}: trains a classifier on IDX files or an image folder and saves it as ONNX. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a CNN classifier and save the best model (by validation accuracy) as ONNX with netlens.* metadata.",
            "A checkpoint <out>.ckpt is written every epoch and every --checkpoint-every steps; running the same command "
                + "again after an interruption resumes from it and ends with exactly the weights of an uninterrupted run."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "idx:DIR|folder:DIR",
            description = "Training data: MNIST/Fashion-MNIST IDX files (train-images-idx3-ubyte[.gz], …), one subfolder of images per class, "
                    + "or concept data in the Broden layout (its train split; see netlens concepts generate).")
    String dataset;

    @Option(names = "--task", defaultValue = "object", description = "concepts:DIR datasets: object or scene classification (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--arch", defaultValue = "resnet8", description = "Architecture: resnet8, resnet8-wide, resnet14, resnet20, lenet5, mlp (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--out", required = true, paramLabel = "M.onnx", description = "Where to write the best model.")
    Path output;

    @Option(names = "--batch", defaultValue = "128", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd (momentum), adam or adamw (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.05", description = "Initial learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--nesterov", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Nesterov momentum for SGD (default: ${DEFAULT-VALUE}).")
    boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "5e-4", description = "Weight decay (L2 for sgd/adam, decoupled for adamw; default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", defaultValue = "cosine", description = "constant, step or cosine (per step, to 0; default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--step-epochs", defaultValue = "30", description = "step schedule: decay every N epochs (default: ${DEFAULT-VALUE}).")
    int stepEpochs;

    @Option(names = "--gamma", defaultValue = "0.1", description = "step schedule: decay factor (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--warmup-steps", defaultValue = "0", description = "Linear learning-rate warm-up from 10%% over N steps (default: ${DEFAULT-VALUE}).")
    int warmupSteps;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "Cross-entropy label smoothing (default: ${DEFAULT-VALUE}).")
    double labelSmoothing;

    @Option(names = "--clip-norm", defaultValue = "0", description = "Clip the gradients' total norm (0 = off; default: ${DEFAULT-VALUE}).")
    double clipNorm;

    @Option(names = "--augment", defaultValue = "crop,flip",
            description = "Training augmentation: comma-separated crop (random crop with 2 px zero padding), flip (horizontal), or none (default: ${DEFAULT-VALUE}).")
    String augment;

    @Option(names = "--validation", defaultValue = "-1",
            description = "Examples held out of the training data for validation (seeded; default: min(5000, 10%%); 0 = none).")
    int validation;

    @Option(names = "--patience", defaultValue = "0", description = "Early stopping after N epochs without a better validation accuracy (0 = off; default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of initialisation, data order, augmentation and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", paramLabel = "H,W", description = "Input size (folder datasets: required; IDX: resize from 28,28).")
    String size;

    @Option(names = "--channels", defaultValue = "RGB", description = "Folder datasets: RGB or L (default: ${DEFAULT-VALUE}).")
    String channels;

    @Option(names = "--mean", description = "Per-channel normalisation mean for pixels in [0,1] (default: none).")
    String mean;

    @Option(names = "--std", description = "Per-channel normalisation std (default: none).")
    String std;

    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N training examples (0 = all).")
    int limit;

    @Option(names = "--checkpoint-every", defaultValue = "100", description = "Also checkpoint every N steps (0 = epoch ends only; default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--restart", description = "Ignore an existing checkpoint and start over (it is overwritten).")
    boolean restart;

    @Option(names = "--force", description = "Overwrite --out if it exists.")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validateOptions();
        Warmup.startTraining(batch);
        DatasetSpec spec = DatasetSpec.parse(dataset);
        int[] hw = size == null ? null : ImagePreprocessing.parseInts(size, "--size");
        if (hw != null && hw.length != 2) {
            throw new IllegalArgumentException("--size must be H,W, got '" + size + "'");
        }
        ImagePreprocessing.Channels ch = ImagePreprocessing.Channels.parse(channels);
        Path checkpoint = output.toAbsolutePath().resolveSibling(output.getFileName() + ".ckpt");
        boolean resuming = Files.exists(checkpoint) && !restart;
        if (Files.exists(output) && !force && !resuming) {
            throw new IllegalArgumentException(output + " already exists; pass --force to overwrite it or choose another --out");
        }
        Dataset all = spec.open(Split.TRAIN, hw, ch, dev.netlens.data.concepts.ConceptTask.parse(task));
        if (limit > 0 && limit < all.size()) {
            all = all.limit(limit);
        }
        int classes = all.classes();
        int held = validation >= 0 ? validation : Math.min(5000, all.size() / 10);
        if (held >= all.size()) {
            throw new IllegalArgumentException("--validation " + held + " leaves no training examples (the dataset has "
                    + all.size() + ")");
        }
        int[] order = shuffled(all.size(), seed);
        Dataset trainSet = all.subset(Arrays.copyOfRange(order, 0, all.size() - held));
        Dataset valSet = held > 0 ? all.subset(Arrays.copyOfRange(order, all.size() - held, all.size())) : null;
        int[] shape = all.imageShape();
        Transform normalise = normalisation(shape[0]);
        Transform aug = augmentation(shape);
        trainSet = trainSet.transformed(normalise == null ? aug : Transforms.compose(aug, normalise));
        if (valSet != null && normalise != null) {
            valSet = valSet.transformed(normalise);
        }
        BatchLoader.Options trainOptions = BatchLoader.options().batchSize(batch).shuffle(true).seed(seed).dropLast(true)
                .prefetch(2).build();
        BatchLoader.Options valOptions = BatchLoader.options().batchSize(256).shuffle(false).dropLast(false).prefetch(2).build();
        DatasetTrainingData train = new DatasetTrainingData(trainSet, trainOptions);
        if (train.batchesPerEpoch() < 1) {
            throw new IllegalArgumentException("--batch " + batch + " is larger than the " + trainSet.size()
                    + " training examples");
        }
        DatasetTrainingData val = valSet == null ? null : new DatasetTrainingData(valSet, valOptions);

        Graph initial = Architectures.create(arch, shape, classes, seed);
        TrainableModel model = new TrainableModel(initial);
        Map<String, String> config = config(spec, shape, held);
        Map<String, String> metadata = metadata(all, shape, config);
        LearningRateSchedule lrSchedule = schedule(train.batchesPerEpoch());
        ConsoleListener console = new ConsoleListener(out, err, epochs, checkpoint);
        Trainer trainer = Trainer.builder(CrossEntropyLoss.withLabelSmoothing(labelSmoothing), optimizer())
                .epochs(epochs).seed(seed).schedule(lrSchedule).clipNorm(clipNorm)
                .checkpoint(checkpoint, checkpointEvery).resume(!restart).patience(patience).config(config)
                .listener(console).build();
        out.printf(Locale.ROOT, "training %s on %s: %d classes, %d training and %d validation examples of %s, batch %d, %d epochs%n",
                arch, spec, classes, trainSet.size(), held, Arrays.toString(shape), batch, epochs);
        Warmup.awaitTraining();
        List<EpochSummary> history = trainer.fit(model, train, val, best -> {
            Graph g = best.snapshot(metadata);
            OnnxExporter.write(g, output);
        });
        EpochSummary best = history.stream().filter(EpochSummary::best).reduce((a, b) -> b).orElse(null);
        if (best != null) {
            out.printf(Locale.ROOT, "best: epoch %d, validation accuracy %.4f, training accuracy %.4f%n", best.epoch() + 1,
                    best.validationAccuracy(), best.trainAccuracy());
        }
        out.println((console.alreadyComplete ? "model (unchanged): " : "model written to ") + output + " (checkpoint: "
                + checkpoint + ")");
        return 0;
    }

    private void validateOptions() {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (batch < 2) {
            throw new IllegalArgumentException("--batch must be >= 2 (batch normalisation needs several examples), got " + batch);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        }
        if (!Architectures.list().contains(arch)) {
            throw new IllegalArgumentException("unknown --arch '" + arch + "'; valid: " + String.join(", ", Architectures.list()));
        }
    }

    private Optimizer optimizer() {
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "sgd" -> Sgd.builder().learningRate(lr).momentum(momentum).nesterov(nesterov && momentum > 0)
                    .weightDecay(weightDecay).build();
            case "adam" -> Adam.builder().learningRate(lr).weightDecay(weightDecay).build();
            case "adamw" -> AdamW.builder().learningRate(lr).weightDecay(weightDecay).build();
            default -> throw new IllegalArgumentException("--optimizer must be sgd, adam or adamw, got '" + optimizer + "'");
        };
    }

    private LearningRateSchedule schedule(int stepsPerEpoch) {
        LearningRateSchedule s = switch (schedule.toLowerCase(Locale.ROOT)) {
            case "constant" -> LearningRateSchedule.constant(lr);
            case "step" -> LearningRateSchedule.stepDecay(lr, stepEpochs, gamma);
            case "cosine" -> LearningRateSchedule.cosineAnnealing(lr, 0, epochs);
            default -> throw new IllegalArgumentException("--schedule must be constant, step or cosine, got '" + schedule + "'");
        };
        return warmupSteps > 0 ? s.withLinearWarmup(0.1, warmupSteps) : s;
    }

    private Transform augmentation(int[] shape) {
        List<Transform> steps = new ArrayList<>();
        for (String a : augment.split(",")) {
            switch (a.trim().toLowerCase(Locale.ROOT)) {
                case "crop" -> steps.add(Transforms.randomCrop(shape[1], shape[2], 2));
                case "flip" -> steps.add(Transforms.randomHorizontalFlip());
                case "none", "" -> {
                }
                default -> throw new IllegalArgumentException("--augment takes crop, flip or none, got '" + a + "'");
            }
        }
        return Transforms.compose(steps.toArray(Transform[]::new));
    }

    private Transform normalisation(int channelCount) {
        if (mean == null && std == null) {
            return null;
        }
        float[] m = mean == null ? new float[] {0f} : ImagePreprocessing.parseFloats(mean, "--mean");
        float[] s = std == null ? new float[] {1f} : ImagePreprocessing.parseFloats(std, "--std");
        return Transforms.normalize(m, s);
    }

    private Map<String, String> config(DatasetSpec spec, int[] shape, int held) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("dataset", spec.toString() + (spec.kind().equals("concepts") ? " task=" + task : ""));
        c.put("arch", arch);
        c.put("input", Arrays.toString(shape));
        c.put("epochs", Integer.toString(epochs));
        c.put("batch", Integer.toString(batch));
        c.put("optimizer", optimizer + " lr=" + lr + " momentum=" + momentum + " nesterov=" + nesterov
                + " weight_decay=" + weightDecay);
        c.put("schedule", schedule + " step_epochs=" + stepEpochs + " gamma=" + gamma + " warmup_steps=" + warmupSteps);
        c.put("loss", "cross-entropy label_smoothing=" + labelSmoothing);
        c.put("clip_norm", Double.toString(clipNorm));
        c.put("augment", augment);
        c.put("normalise", mean + "/" + std);
        c.put("validation", Integer.toString(held));
        c.put("limit", Integer.toString(limit));
        c.put("seed", Long.toString(seed));
        return c;
    }

    private Map<String, String> metadata(Dataset all, int[] shape, Map<String, String> config) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("netlens.classes", ClassNames.toJson(all.classNames()));
        m.put("netlens.input_size", shape[1] + "," + shape[2]);
        m.put("netlens.channels", shape[0] == 1 ? "L" : channels.equalsIgnoreCase("BGR") ? "BGR" : "RGB");
        if (mean != null) {
            m.put("netlens.mean", mean);
        }
        if (std != null) {
            m.put("netlens.std", std);
        }
        StringBuilder t = new StringBuilder("netlens train");
        config.forEach((k, v) -> t.append(' ').append(k).append('=').append(v));
        m.put("netlens.training", t.toString());
        return m;
    }

    private static int[] shuffled(int n, long seed) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }

    /** Progress bar per epoch and one summary line per epoch. */
    private static final class ConsoleListener implements TrainingListener {
        private final PrintWriter out;
        private final PrintWriter err;
        private final int epochs;
        private final Path checkpoint;
        private ProgressBar bar;
        private int barEpoch = -1;
        boolean alreadyComplete;

        ConsoleListener(PrintWriter out, PrintWriter err, int epochs, Path checkpoint) {
            this.out = out;
            this.err = err;
            this.epochs = epochs;
            this.checkpoint = checkpoint;
        }

        @Override
        public void started(int epoch, int step, int total, int stepsPerEpoch, boolean resumed) {
            if (resumed) {
                if (epoch >= total) {
                    alreadyComplete = true;
                    out.println("training already complete according to " + checkpoint
                            + "; pass --restart to train again");
                } else {
                    out.printf(Locale.ROOT, "resuming from %s at epoch %d, step %d of %d%n", checkpoint, epoch + 1, step,
                            stepsPerEpoch);
                }
            }
        }

        @Override
        public void step(int epoch, int step, int stepsPerEpoch, double loss, double accuracy, double learningRate) {
            if (epoch != barEpoch) {
                bar = new ProgressBar(err, String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs), stepsPerEpoch,
                        step - 1);
                barEpoch = epoch;
            }
            bar.update(step, String.format(Locale.ROOT, "loss %.4f acc %.4f lr %.4g", loss, accuracy, learningRate));
        }

        @Override
        public void epochEnded(EpochSummary summary) {
            out.println(summary.format());
            out.flush();
        }

        @Override
        public void stoppedEarly(int epoch, int patience) {
            out.printf(Locale.ROOT, "early stop after epoch %d: no better validation accuracy for %d epochs%n", epoch + 1,
                    patience);
        }
    }
}
