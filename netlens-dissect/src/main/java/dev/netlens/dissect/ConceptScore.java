package dev.netlens.dissect;

/**
 * A concept and a unit's IoU with it (Bau et al. 2017).
 *
 * @param category the concept's (primary) category
 * @param label the concept's name from {@code label.csv}
 * @param number the concept's label number
 * @param iou the unit's IoU with the concept over the probe dataset
 */
public record ConceptScore(String category, String label, int number, double iou) {
}
