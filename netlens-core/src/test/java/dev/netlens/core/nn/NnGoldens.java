package dev.netlens.core.nn;

import dev.netlens.core.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The PyTorch goldens of the nn tests, {@code /nn/optimizer_goldens.txt}, written by
 * {@code src/test/resources/nn/make_optimizer_goldens.py}: one line per tensor,
 * {@code name shape v1 v2 …} (shape comma-separated, '-' for a scalar).
 */
public final class NnGoldens {
    private static final String RESOURCE = "/nn/optimizer_goldens.txt";
    private static NnGoldens instance;
    private final Map<String, String[]> lines;

    private NnGoldens(Map<String, String[]> lines) {
        this.lines = lines;
    }

    /** The goldens (read once). */
    public static synchronized NnGoldens load() {
        if (instance == null) {
            instance = new NnGoldens(read());
        }
        return instance;
    }

    private static Map<String, String[]> read() {
        InputStream in = NnGoldens.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is missing; run make_optimizer_goldens.py beside it");
        }
        Map<String, String[]> m = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.trim().split(" ");
                    m.put(parts[0], parts);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    private String[] parts(String name) {
        String[] p = lines.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no golden '" + name + "'");
        }
        return p;
    }

    public boolean has(String name) {
        return lines.containsKey(name);
    }

    /** A float32 tensor (values parsed directly as floats, so they are exactly PyTorch's). */
    public Tensor tensor(String name) {
        String[] p = parts(name);
        int[] shape = new int[0];
        if (!p[1].equals("-")) {
            String[] dims = p[1].split(",");
            shape = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                shape[i] = Integer.parseInt(dims[i]);
            }
        }
        float[] v = new float[p.length - 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.parseFloat(p[i + 2]);
        }
        return Tensor.of(v, shape);
    }

    /** The values as doubles (exact for Python floats). */
    public double[] doubles(String name) {
        String[] p = parts(name);
        double[] v = new double[p.length - 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.parseDouble(p[i + 2]);
        }
        return v;
    }

    public double scalar(String name) {
        return doubles(name)[0];
    }
}
