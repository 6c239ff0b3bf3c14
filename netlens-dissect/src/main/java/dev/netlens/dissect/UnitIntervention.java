package dev.netlens.dissect;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Intervention;
import dev.netlens.core.graph.Interventions;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.datasets.Dataset;
import dev.netlens.data.datasets.Example;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The causal check of what units do (Bau et al. 2017, §4; Bau et al., "Understanding the role of
 * individual units in a deep neural network", PNAS 2020): ablate a set of units of a layer (set
 * them to 0) or insert them (set them to a constant, e.g. their 99th percentile), run the model
 * over a labelled dataset with and without the edit, and report per class the change of the mean
 * score of that class and of the accuracy.
 *
 * <pre>{@code
 * InterventionReport r = UnitIntervention.ablate(model, "conv4", 3, 17).evaluate(testSet, 64);
 * System.out.println(r.classes().get(2).scoreChange());
 * }</pre>
 *
 * The model's single output is taken as class scores [N, classes] (logits or probabilities). The
 * edit is {@link Interventions#setChannels}, so the rest of the forward pass is unchanged.
 */
public final class UnitIntervention {
    private final Graph graph;
    private final String layer;
    private final int[] units;
    private final float value;
    private final String kind;

    private UnitIntervention(Graph graph, String layer, int[] units, float value, String kind) {
        this.graph = Objects.requireNonNull(graph, "graph");
        graph.requireValue(layer, "intervention layer");
        if (units.length == 0) {
            throw new IllegalArgumentException("name at least one unit (channel index) of '" + layer + "'");
        }
        for (int u : units) {
            if (u < 0) {
                throw new IllegalArgumentException("unit indices must be >= 0, got " + Arrays.toString(units));
            }
        }
        this.layer = layer;
        this.units = units.clone();
        this.value = value;
        this.kind = kind;
    }

    /** Sets {@code units} of {@code layer} to 0. */
    public static UnitIntervention ablate(Graph graph, String layer, int... units) {
        return new UnitIntervention(graph, layer, units, 0f, "ablate");
    }

    /** Sets {@code units} of {@code layer} to {@code value} everywhere (e.g. the units' 99th percentile). */
    public static UnitIntervention insert(Graph graph, String layer, float value, int... units) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("inserted value must be finite, got " + value);
        }
        return new UnitIntervention(graph, layer, units, value, "insert " + value);
    }

    /**
     * Runs {@code data} through the model with and without the edit, {@code batchSize} images at a time.
     *
     * @throws IllegalArgumentException when a unit index exceeds the layer's channels or the output
     *     is not [N, classes] with at least as many classes as the data's labels need
     */
    public InterventionReport evaluate(Dataset data, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        int classes = data.classes();
        long[] count = new long[classes];
        double[] scoreBefore = new double[classes];
        double[] scoreAfter = new double[classes];
        long[] correctBefore = new long[classes];
        long[] correctAfter = new long[classes];
        int[] shape = data.imageShape();
        int size = shape[0] * shape[1] * shape[2];
        Intervention edit = Interventions.setChannels(value, units);
        for (int from = 0; from < data.size(); from += batchSize) {
            int to = Math.min(data.size(), from + batchSize);
            float[] batch = new float[(to - from) * size];
            int[] labels = new int[to - from];
            for (int i = from; i < to; i++) {
                Example e = data.get(i, new SplittableRandom(i));
                System.arraycopy(e.image(), 0, batch, (i - from) * size, size);
                labels[i - from] = e.label();
            }
            Tensor input = Tensor.of(batch, to - from, shape[0], shape[1], shape[2]);
            if (from == 0) {
                checkUnits(input);
            }
            Tensor before = scores(graph.run().forward(input).output(), classes);
            Tensor after = scores(graph.run().intervene(layer, edit).forward(input).output(), classes);
            int width = before.dim(1);
            for (int i = 0; i < labels.length; i++) {
                int y = labels[i];
                count[y]++;
                scoreBefore[y] += before.data()[i * width + y];
                scoreAfter[y] += after.data()[i * width + y];
                correctBefore[y] += argmax(before.data(), i * width, width) == y ? 1 : 0;
                correctAfter[y] += argmax(after.data(), i * width, width) == y ? 1 : 0;
            }
        }
        InterventionReport.ClassChange[] changes = new InterventionReport.ClassChange[classes];
        for (int c = 0; c < classes; c++) {
            double n = Math.max(1, count[c]);
            changes[c] = new InterventionReport.ClassChange(c, data.classNames().get(c), count[c],
                    scoreBefore[c] / n, scoreAfter[c] / n, correctBefore[c] / n, correctAfter[c] / n);
        }
        return new InterventionReport(layer, units, kind, Arrays.asList(changes));
    }

    private void checkUnits(Tensor input) {
        Tensor a = graph.run().outputs(layer).forward(input).output(layer);
        int channels = a.dim(1);
        for (int u : units) {
            if (u >= channels) {
                throw new IllegalArgumentException("unit " + u + " does not exist: '" + layer + "' has " + channels
                        + " channels (0.." + (channels - 1) + ")");
            }
        }
    }

    private static Tensor scores(Tensor out, int classes) {
        if (out.rank() != 2 || out.dim(1) < classes) {
            throw new IllegalArgumentException("the model output has shape " + Arrays.toString(out.shape())
                    + "; the intervention report needs class scores [N, >= " + classes + "]");
        }
        return out;
    }

    private static int argmax(float[] v, int off, int len) {
        int best = 0;
        for (int i = 1; i < len; i++) {
            if (v[off + i] > v[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
