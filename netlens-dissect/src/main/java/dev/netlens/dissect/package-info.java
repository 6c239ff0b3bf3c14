/**
 * Network Dissection (Bau, Zhou, Khosla, Oliva, Torralba, "Network Dissection: Quantifying
 * Interpretability of Deep Visual Representations", CVPR 2017), with the conventions of the
 * NetDissect-Lite implementation: which concept of a Broden-format dataset each unit of a layer
 * detects, and how well (IoU).
 *
 * <p>{@link dev.netlens.dissect.Dissection} runs the two dataset-wide passes — per-unit
 * thresholds ({@link dev.netlens.dissect.QuantileSketch}) and top images
 * ({@link dev.netlens.dissect.TopImages}), then IoU tallies ({@link dev.netlens.dissect.IouTally})
 * — streaming, with constant memory in the dataset size, resumable from on-disk state, and with
 * per-batch statistics that merge by addition. {@link dev.netlens.dissect.LayerDissection} holds
 * the per-unit labels; {@link dev.netlens.dissect.TallyCsv} and {@link dev.netlens.dissect.ResultJson}
 * write them. {@link dev.netlens.dissect.UnitIntervention} is the causal check: ablate or insert
 * units and measure the per-class change of score and accuracy.
 *
 * <pre>{@code
 * BrodenDataset data = BrodenDataset.open(Path.of("concepts"));
 * DissectionResult r = Dissection.builder(model, "conv3", "conv4").build()
 *         .run(data, Dissection.Listener.NONE, Path.of("out/state"));
 * TallyCsv.write(r.layer("conv4"), Path.of("out/conv4/tally.csv"));
 * ResultJson.write(r, Path.of("out/result.json"));
 * }</pre>
 */
package dev.netlens.dissect;
