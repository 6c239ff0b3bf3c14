/**
 * Concept data: images whose pixels are labelled with concepts, for Network Dissection, TCAV,
 * localisation metrics and other methods that need to know where a concept is.
 *
 * <ul>
 *   <li>{@link dev.netlens.data.concepts.BrodenDataset} reads the Broden layout of Network
 *       Dissection (Bau, Zhou, Khosla, Oliva, Torralba, "Network Dissection: Quantifying
 *       Interpretability of Deep Visual Representations", CVPR 2017) — the published Broden 1
 *       release unchanged, or any dataset written the same way — streaming the segmentations;
 *       {@link dev.netlens.data.concepts.ConceptStatistics} recomputes per-label frequency and
 *       coverage.</li>
 *   <li>{@link dev.netlens.data.concepts.ConceptSceneGenerator} writes synthetic concept scenes in
 *       the same layout, deterministically from a seed: colours, textures, objects with parts and
 *       landmarks, and scenes, all with known pixel masks
 *       ({@link dev.netlens.data.concepts.ConceptVocabulary}).</li>
 *   <li>{@link dev.netlens.data.concepts.ConceptClassificationDataset} turns generated scenes into a
 *       {@link dev.netlens.data.datasets.Dataset} for training (main object or scene as the
 *       class).</li>
 *   <li>{@link dev.netlens.data.concepts.ConceptGrid} draws a contact sheet of images with their
 *       masks outlined and labelled.</li>
 * </ul>
 */
package dev.netlens.data.concepts;
