/**
 * Training data: datasets of labelled images, per-example transforms and a batch loader.
 *
 * <ul>
 *   <li>{@link dev.netlens.data.datasets.Dataset} — the small interface every dataset implements:
 *       size, class names, image shape, {@code label(i)} and {@code get(i, random)}.</li>
 *   <li>{@link dev.netlens.data.datasets.IdxDataset} reads MNIST-format (IDX) files, gzipped or
 *       not, e.g. Fashion-MNIST from {@code /usr/share/datasets/fashion-mnist};
 *       {@link dev.netlens.data.datasets.ImageFolderDataset} reads one subfolder of PNG/JPEG files
 *       per class, decoding lazily.</li>
 *   <li>{@link dev.netlens.data.datasets.Transforms} builds immutable, composable
 *       {@link dev.netlens.data.datasets.Transform}s (resize, crops, flip, normalise) whose
 *       {@code toString()} is fit for provenance.</li>
 *   <li>{@link dev.netlens.data.datasets.BatchLoader} turns an epoch into NCHW batches, shuffled as
 *       a pure function of (seed, epoch), resumable from any batch, prefetched on a background
 *       thread.</li>
 * </ul>
 *
 * <p>Randomness is explicit and independent of thread timing: the epoch order comes from
 * {@link dev.netlens.data.datasets.RandomStreams#forEpoch} and every random transform of an example
 * draws from {@link dev.netlens.data.datasets.RandomStreams#forExample}, a stream determined by
 * (seed, epoch, dataset index) alone.
 */
package dev.netlens.data.datasets;
