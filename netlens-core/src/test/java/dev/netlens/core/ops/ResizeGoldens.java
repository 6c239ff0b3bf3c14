package dev.netlens.core.ops;

import dev.netlens.core.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader of the line-based golden files written by
 * {@code src/test/resources/goldens/make_resize_goldens.py}: cases of ONNX attributes and tensors.
 */
final class ResizeGoldens {
    private ResizeGoldens() {
    }

    /** One case: its name, attributes (ONNX names, values as words) and named tensors. */
    record Case(String name, Map<String, String[]> attributes, Map<String, Tensor> tensors) {
        String attribute(String key, String dflt) {
            String[] v = attributes.get(key);
            return v == null ? dflt : v[0];
        }

        /** The Resize (or Upsample) op these attributes describe. */
        Resize op() {
            String mode = attribute("mode", "nearest");
            String[] scales = attributes.get("scales");
            if ("Upsample".equals(attribute("op", "Resize"))) {
                return Resize.upsample(mode, floats(scales));
            }
            Resize.Builder b = Resize.builder().mode(mode)
                    .coordinateTransformationMode(attribute("coordinate_transformation_mode", "half_pixel"))
                    .nearestMode(attribute("nearest_mode", "round_prefer_floor"));
            if (attributes.containsKey("sizes")) {
                b.sizes(Arrays.stream(attributes.get("sizes")).mapToInt(Integer::parseInt).toArray());
            } else {
                b.scales(floats(scales));
            }
            return b.build();
        }

        private static float[] floats(String[] words) {
            float[] f = new float[words.length];
            for (int i = 0; i < words.length; i++) {
                f[i] = Float.parseFloat(words[i]);
            }
            return f;
        }
    }

    static List<Case> load(String resource) {
        InputStream in = ResizeGoldens.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + resource
                    + " (generate it with src/test/resources/goldens/make_resize_goldens.py)");
        }
        List<Case> cases = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String name = null;
            Map<String, String[]> attrs = null;
            Map<String, Tensor> tensors = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] w = line.trim().split("\\s+");
                switch (w[0]) {
                    case "case" -> {
                        name = w[1];
                        attrs = new LinkedHashMap<>();
                        tensors = new LinkedHashMap<>();
                    }
                    case "attr" -> attrs.put(w[1], Arrays.copyOfRange(w, 2, w.length));
                    case "tensor" -> {
                        int rank = Integer.parseInt(w[2]);
                        int[] shape = new int[rank];
                        for (int d = 0; d < rank; d++) {
                            shape[d] = Integer.parseInt(w[3 + d]);
                        }
                        float[] data = new float[w.length - 3 - rank];
                        for (int i = 0; i < data.length; i++) {
                            data[i] = Float.parseFloat(w[3 + rank + i]);
                        }
                        tensors.put(w[1], Tensor.of(data, shape));
                    }
                    case "end" -> cases.add(new Case(name, attrs, tensors));
                    default -> throw new IllegalStateException(resource + ": unexpected line " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }
}
