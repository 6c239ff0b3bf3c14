package dev.netlens.cli;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.nn.train.ClassificationMetrics;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.core.nn.train.LabeledBatch;
import dev.netlens.core.nn.train.TrainingData;
import dev.netlens.data.datasets.BatchLoader;
import dev.netlens.data.datasets.Dataset;
import dev.netlens.data.datasets.DatasetTrainingData;
import dev.netlens.data.datasets.Split;
import dev.netlens.data.datasets.Transforms;
import dev.netlens.data.images.ImagePreprocessing;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code netlens eval}: accuracy, per-class accuracy and confusion matrix of a classifier on a dataset. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a classifier on a dataset: accuracy, per-class accuracy and the confusion matrix. "
                + "Preprocessing (input size, mean/std, channels) comes from the model's netlens.* metadata unless overridden.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--dataset", required = true, paramLabel = "idx:DIR|folder:DIR",
            description = "Evaluation data: IDX files (the test split t10k-… by default), one subfolder of images per class, "
                    + "or concept data in the Broden layout (its val split by default).")
    String dataset;

    @Option(names = "--split", defaultValue = "test",
            description = "IDX datasets: test or train; concept data: test (its val split), train or all (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--task", defaultValue = "object", description = "concepts:DIR datasets: object or scene (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--batch", defaultValue = "256", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--limit", defaultValue = "0", description = "Evaluate only the first N examples (0 = all).")
    int limit;

    @Option(names = "--size", paramLabel = "H,W", description = "Input size (default: netlens.input_size metadata).")
    String size;

    @Option(names = "--mean", description = "Normalisation mean (default: netlens.mean metadata, else none).")
    String mean;

    @Option(names = "--std", description = "Normalisation std (default: netlens.std metadata, else none).")
    String std;

    @Option(names = "--channels", description = "RGB, BGR or L (default: netlens.channels metadata, else RGB).")
    String channels;

    @Override
    public Integer call() {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        }
        Split s = switch (split.toLowerCase(Locale.ROOT)) {
            case "test" -> Split.TEST;
            case "train" -> Split.TRAIN;
            case "all" -> null;
            default -> throw new IllegalArgumentException("--split must be test, train or all, got '" + split + "'");
        };
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DatasetSpec data = DatasetSpec.parse(dataset);
        Graph g = model.load();
        ImagePreprocessing pre = ImagePreprocessing.fromMetadata(g.metadata(),
                size == null ? null : ImagePreprocessing.parseInts(size, "--size"),
                mean == null ? null : ImagePreprocessing.parseFloats(mean, "--mean"),
                std == null ? null : ImagePreprocessing.parseFloats(std, "--std"), channels, new int[] {28, 28});
        Dataset d = data.open(s, new int[] {pre.height(), pre.width()}, pre.channels(),
                dev.netlens.data.concepts.ConceptTask.parse(task));
        if (d.imageShape()[0] != pre.channels().count()) {
            throw new IllegalArgumentException("the dataset has " + d.imageShape()[0] + "-channel images, the model expects "
                    + pre.channels() + " (" + pre.channels().count() + " channels); set --channels");
        }
        if (pre.normalises()) {
            d = d.transformed(Transforms.normalize(pre.mean(), pre.std()));
        }
        if (limit > 0 && limit < d.size()) {
            d = d.limit(limit);
        }
        List<String> names = d.classNames();
        ClassificationMetrics metrics = new ClassificationMetrics(names.size());
        BatchLoader.Options options = BatchLoader.options().batchSize(batch).shuffle(false).prefetch(2).build();
        ProgressBar bar = new ProgressBar(err, "eval", d.size(), 0);
        long done = 0;
        try (TrainingData.Batches batches = new DatasetTrainingData(d, options).epoch(0, 0)) {
            while (batches.hasNext()) {
                LabeledBatch b = batches.next();
                Tensor scores = g.run().forward(b.inputs()).output();
                if (scores.rank() != 2) {
                    throw new IllegalArgumentException("the model's output has shape "
                            + dev.netlens.core.tensor.Shapes.toString(scores.shape()) + "; eval needs class scores [N, classes]");
                }
                metrics.add(scores, b.targets());
                done += b.size();
                bar.update(done, String.format(Locale.ROOT, "accuracy %.4f", metrics.accuracy()));
            }
        }
        out.printf(Locale.ROOT, "accuracy %.4f (%d of %d) on %s (%s split)%n", metrics.accuracy(), metrics.correct(),
                metrics.total(), data, data.kind().equals("folder") || s == null ? "all" : data.kind().equals("concepts") && s == Split.TEST ? "val"
                : split.toLowerCase(Locale.ROOT));
        double[] per = metrics.perClassAccuracy();
        long[][] c = metrics.confusion();
        int w = Math.max(5, names.stream().mapToInt(String::length).max().orElse(5));
        out.printf(Locale.ROOT, "%-" + w + "s  %8s  %8s%n", "class", "examples", "accuracy");
        for (int k = 0; k < names.size(); k++) {
            long row = 0;
            for (long v : c[k]) {
                row += v;
            }
            out.printf(Locale.ROOT, "%-" + w + "s  %8d  %8.4f%n", names.get(k), row, per[k]);
        }
        out.println("confusion matrix (rows: true class, columns: predicted class, in the order above):");
        for (long[] row : c) {
            StringBuilder sb = new StringBuilder();
            for (long v : row) {
                sb.append(String.format(Locale.ROOT, "%6d", v));
            }
            out.println(sb);
        }
        return 0;
    }
}
