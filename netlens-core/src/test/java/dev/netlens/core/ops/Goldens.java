package dev.netlens.core.ops;

import dev.netlens.core.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads golden tensors from a test resource in the line format {@code name shape v1 v2 …} (shape as
 * comma-separated extents; lines starting with '#' are comments), as written by the scripts in
 * {@code src/test/resources/goldens/}.
 */
final class Goldens {
    private final Map<String, Tensor> tensors;

    private Goldens(Map<String, Tensor> tensors) {
        this.tensors = tensors;
    }

    static Goldens load(String resource) {
        InputStream in = Goldens.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("golden resource " + resource + " is missing; regenerate it with the script "
                    + "beside it");
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                String[] dims = parts[1].split(",");
                int[] shape = new int[dims.length];
                for (int i = 0; i < dims.length; i++) {
                    shape[i] = Integer.parseInt(dims[i]);
                }
                float[] values = new float[parts.length - 2];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) Double.parseDouble(parts[i + 2]);
                }
                m.put(parts[0], Tensor.of(values, shape));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Goldens(m);
    }

    Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no golden tensor '" + name + "'");
        }
        return t;
    }

    boolean has(String name) {
        return tensors.containsKey(name);
    }

    int[] ints(String name) {
        float[] d = get(name).data();
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = Math.round(d[i]);
        }
        return out;
    }

    float scalar(String name) {
        return get(name).data()[0];
    }

    /** Case names: the prefixes of all tensors named {@code <case>.x}, in file order. */
    Iterable<String> cases() {
        return tensors.keySet().stream().filter(k -> k.endsWith(".x")).map(k -> k.substring(0, k.length() - 2)).toList();
    }
}
