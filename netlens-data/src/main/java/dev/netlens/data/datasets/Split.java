package dev.netlens.data.datasets;

/** Which part of a dataset with a fixed train/test split to read. */
public enum Split {
    /** The training examples (IDX files prefixed {@code train}). */
    TRAIN("train"),
    /** The held-out test examples (IDX files prefixed {@code t10k}). */
    TEST("t10k");

    private final String idxPrefix;

    Split(String idxPrefix) {
        this.idxPrefix = idxPrefix;
    }

    /** The file-name prefix of this split in the MNIST file layout. */
    public String idxPrefix() {
        return idxPrefix;
    }
}
