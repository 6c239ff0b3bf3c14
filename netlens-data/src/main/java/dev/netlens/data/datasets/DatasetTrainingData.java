package dev.netlens.data.datasets;

import dev.netlens.core.nn.train.LabeledBatch;
import dev.netlens.core.nn.train.TrainingData;
import dev.netlens.core.tensor.Tensor;

/**
 * A {@link Dataset} as the {@link TrainingData} of a {@link dev.netlens.core.nn.train.Trainer}:
 * batches from a {@link BatchLoader} (seeded shuffling, background prefetch), labels as
 * class-index targets.
 */
public final class DatasetTrainingData implements TrainingData {
    private final Dataset dataset;
    private final BatchLoader.Options options;

    public DatasetTrainingData(Dataset dataset, BatchLoader.Options options) {
        this.dataset = dataset;
        this.options = options;
    }

    public Dataset dataset() {
        return dataset;
    }

    @Override
    public int batchesPerEpoch() {
        return options.batchCount(dataset.size());
    }

    @Override
    public int examplesPerEpoch() {
        return options.dropLast() ? batchesPerEpoch() * options.batchSize() : dataset.size();
    }

    @Override
    public Batches epoch(int epoch, int startBatch) {
        BatchLoader loader = BatchLoader.open(dataset, options, epoch, startBatch);
        return new Batches() {
            @Override
            public boolean hasNext() {
                return loader.hasNext();
            }

            @Override
            public LabeledBatch next() {
                Batch b = loader.next();
                float[] targets = new float[b.labels().length];
                for (int i = 0; i < targets.length; i++) {
                    targets[i] = b.labels()[i];
                }
                return new LabeledBatch(b.images(), Tensor.of(targets, targets.length));
            }

            @Override
            public void close() {
                loader.close();
            }
        };
    }
}
