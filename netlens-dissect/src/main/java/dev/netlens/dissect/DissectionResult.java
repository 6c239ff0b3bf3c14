package dev.netlens.dissect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a {@link Dissection} run (Bau et al. 2017): one {@link LayerDissection} per layer
 * and the provenance needed to reproduce it.
 *
 * @param layers one per dissected layer, in the order asked for
 * @param provenance method, parameters, dataset, image count, model fingerprint, netlens version
 */
public record DissectionResult(List<LayerDissection> layers, Map<String, String> provenance) {
    public DissectionResult {
        layers = List.copyOf(layers);
        provenance = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /**
     * The dissection of {@code name}.
     *
     * @throws IllegalArgumentException when the layer was not dissected
     */
    public LayerDissection layer(String name) {
        for (LayerDissection l : layers) {
            if (l.layer().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("layer '" + name + "' was not dissected; layers: "
                + layers.stream().map(LayerDissection::layer).toList());
    }
}
