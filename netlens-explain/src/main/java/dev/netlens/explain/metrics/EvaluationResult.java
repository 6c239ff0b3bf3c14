package dev.netlens.explain.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an {@link Evaluation} measured: one value per image, method and metric (NaN where a metric
 * was not run or is undefined), the mean perturbation curves per method, the sanity-check results
 * per method, and the mean attribution time per image.
 *
 * @param model the model's description (file name or "bundled concept model") and SHA-256
 * @param images the image names, in order
 * @param classes the class explained for each image
 * @param methods the methods, in order
 * @param metrics the metrics run, in order
 * @param values method → metric → one value per image (for {@code sanity}: Spearman's ρ between the
 *     map and the map after cascading randomisation, averaged over the cascade's steps — the mean
 *     height of the cascading curve, low when the map depends on the weights; images beyond the
 *     sanity subset NaN)
 * @param curves method → deletion / insertion / aopc → the curve averaged over the images
 * @param sanity method → the cascading and the independent results
 * @param seconds method → mean seconds per image to compute its map
 * @param settings the evaluation's settings, for provenance
 */
public record EvaluationResult(String model, List<String> images, int[] classes, List<String> methods,
                               List<Metric> metrics, Map<String, Map<Metric, double[]>> values,
                               Map<String, Map<Metric, Curve>> curves, Map<String, List<SanityCheck.Result>> sanity,
                               Map<String, Double> seconds, Map<String, Object> settings) {

    /**
     * A method's mean of a metric over the images where it is defined.
     *
     * @param mean the mean (NaN when no image has a value)
     * @param stderr the standard error of the mean (NaN for fewer than 2 values)
     * @param n the number of images with a value
     */
    public record Summary(String method, Metric metric, double mean, double stderr, int n) {
    }

    public EvaluationResult {
        images = List.copyOf(images);
        methods = List.copyOf(methods);
        metrics = List.copyOf(metrics);
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        curves = Collections.unmodifiableMap(new LinkedHashMap<>(curves));
        sanity = Collections.unmodifiableMap(new LinkedHashMap<>(sanity));
        seconds = Collections.unmodifiableMap(new LinkedHashMap<>(seconds));
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** The summary of one method and metric. */
    public Summary summary(String method, Metric metric) {
        double[] v = values.getOrDefault(method, Map.of()).get(metric);
        if (v == null) {
            return new Summary(method, metric, Double.NaN, Double.NaN, 0);
        }
        double sum = 0;
        int n = 0;
        for (double d : v) {
            if (!Double.isNaN(d)) {
                sum += d;
                n++;
            }
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        double ss = 0;
        for (double d : v) {
            if (!Double.isNaN(d)) {
                ss += (d - mean) * (d - mean);
            }
        }
        double se = n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1) / n);
        return new Summary(method, metric, mean, se, n);
    }

    /** All summaries, method-major. */
    public List<Summary> summaries() {
        List<Summary> out = new ArrayList<>();
        for (String m : methods) {
            for (Metric k : metrics) {
                out.add(summary(m, k));
            }
        }
        return out;
    }

    /** The methods ordered best first by a metric's mean (undefined means last). */
    public List<String> ranking(Metric metric) {
        List<String> out = new ArrayList<>(methods);
        out.sort((a, b) -> {
            double x = summary(a, metric).mean();
            double y = summary(b, metric).mean();
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
            }
            return metric.higherIsBetter() ? Double.compare(y, x) : Double.compare(x, y);
        });
        return out;
    }
}
