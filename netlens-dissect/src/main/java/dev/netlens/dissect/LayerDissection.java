package dev.netlens.dissect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Network Dissection's verdict on one layer (Bau et al. 2017): for each unit its best concept per
 * category and overall, and whether it is a detector; for the layer the number of detectors, the
 * number of unique concepts they detect, and both per category.
 *
 * @param layer the layer (value) name
 * @param categories the scored categories, dataset order
 * @param iouThreshold a unit is a detector when its best IoU exceeds this
 * @param units one entry per channel, in channel order
 */
public record LayerDissection(String layer, List<String> categories, double iouThreshold, List<UnitDissection> units) {
    public LayerDissection {
        categories = List.copyOf(categories);
        units = List.copyOf(units);
    }

    /**
     * Labels every unit from its tally.
     *
     * @param sketches the units' threshold sketches
     * @param quantile q: the threshold is the (1 − q) quantile
     */
    public static LayerDissection of(String layer, ConceptIndex index, QuantileSketch[] sketches, double quantile,
                                     IouTally tally, TopImages top, double iouThreshold) {
        List<String> cats = index.categories();
        List<UnitDissection> out = new ArrayList<>();
        for (int k = 0; k < tally.units(); k++) {
            ConceptScore[] perCategory = new ConceptScore[cats.size()];
            ConceptScore best = null;
            for (int c = 0; c < index.size(); c++) {
                int g = index.category(c);
                double iou = tally.iou(k, c, g);
                if (perCategory[g] == null || iou > perCategory[g].iou()) {
                    perCategory[g] = new ConceptScore(cats.get(g), index.name(c), index.number(c), iou);
                }
                if (best == null || iou > best.iou()) {
                    best = perCategory[g];
                }
            }
            Map<String, ConceptScore> byCategory = new LinkedHashMap<>();
            for (int g = 0; g < cats.size(); g++) {
                byCategory.put(cats.get(g), perCategory[g]);
            }
            double p = 1 - quantile;
            out.add(new UnitDissection(k, sketches[k].quantile(p), sketches[k].rankErrorBound(p), best, byCategory,
                    best != null && best.iou() > iouThreshold, top.images(k), top.values(k)));
        }
        return new LayerDissection(layer, cats, iouThreshold, out);
    }

    /** The units that are detectors. */
    public List<UnitDissection> detectors() {
        return units.stream().filter(UnitDissection::detector).toList();
    }

    /** Number of distinct concepts that some detector detects. */
    public int uniqueConcepts() {
        Set<Integer> s = new LinkedHashSet<>();
        detectors().forEach(u -> s.add(u.best().number()));
        return s.size();
    }

    /** For each category, the number of detectors whose best concept is in it. */
    public Map<String, Integer> detectorsPerCategory() {
        Map<String, Integer> m = new LinkedHashMap<>();
        categories.forEach(c -> m.put(c, 0));
        detectors().forEach(u -> m.merge(u.best().category(), 1, Integer::sum));
        return m;
    }

    /** For each category, the number of distinct concepts of it that some detector detects. */
    public Map<String, Integer> uniqueConceptsPerCategory() {
        Map<String, Set<Integer>> sets = new LinkedHashMap<>();
        categories.forEach(c -> sets.put(c, new LinkedHashSet<>()));
        detectors().forEach(u -> sets.get(u.best().category()).add(u.best().number()));
        Map<String, Integer> m = new LinkedHashMap<>();
        sets.forEach((c, s) -> m.put(c, s.size()));
        return m;
    }
}
