package dev.netlens.explain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry of attribution methods by name (the names `netlens attribute --method` takes). Each
 * method family registers its factories here; the CLI, the benchmarks and the cross-cutting tests
 * (e.g. "no rule stays installed") are generated from this one table.
 */
public final class AttributionMethods {
    /** Makes a configured method for a model. */
    @FunctionalInterface
    public interface Factory {
        Attribution create(ExplainedModel model, MethodOptions options);
    }

    /** A registered method: name, one-line description, whether it needs --layer, factory. */
    public record Entry(String name, String description, boolean needsLayer, Factory factory) {
    }

    private static final Map<String, Entry> METHODS = new TreeMap<>();

    static {
        GradientMethods.registerAll();
        CamMethods.registerAll();
        RuleMethods.registerAll();
        PerturbationMethods.registerAll();
    }

    private AttributionMethods() {
    }

    static void register(String name, String description, boolean needsLayer, Factory factory) {
        if (METHODS.putIfAbsent(name, new Entry(name, description, needsLayer, factory)) != null) {
            throw new IllegalStateException("method " + name + " registered twice");
        }
    }

    /** All methods by name. */
    public static Map<String, Entry> all() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(METHODS));
    }

    /** Creates a method by name; unknown names fail listing the known ones. */
    public static Attribution create(String name, ExplainedModel model, MethodOptions options) {
        Entry e = METHODS.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown method '" + name + "'; methods: " + METHODS.keySet());
        }
        if (e.needsLayer() && options.layer() == null) {
            throw new IllegalArgumentException("method " + name + " needs --layer NAME (a value name shown by "
                    + "netlens inspect, e.g. the last convolutional block's output)");
        }
        return e.factory().create(model, options);
    }
}
