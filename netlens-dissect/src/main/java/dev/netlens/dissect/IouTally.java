package dev.netlens.dissect;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The IoU counts of Network Dissection (Bau et al. 2017) for the units of one layer, in
 * NetDissect-Lite's form, summed over the images seen:
 * <ul>
 *   <li>{@code intersection[k][c]} = Σ |M_k ∩ L_c| (pixels where unit k's mask and concept c meet;
 *       an image-level concept covers the whole image);</li>
 *   <li>{@code activation[k][g]} = Σ |M_k| over the images that carry any concept of category g
 *       (the union's activation term counts only those images);</li>
 *   <li>{@code conceptArea[c]} = Σ |L_c|.</li>
 * </ul>
 * IoU_kc = intersection / (activation[k][category(c)] + conceptArea[c] − intersection). All counts
 * are integers, so {@link #merge} (addition) is exact and order-independent: tallies of disjoint
 * batches merged in any order equal the tally of the whole. {@link #write}/{@link #read} keep the
 * complete state.
 */
public final class IouTally {
    private final int units;
    private final int concepts;
    private final int categories;
    private final long[] intersection;
    private final long[] activation;
    private final long[] conceptArea;
    private long images;

    /** An empty tally for {@code units} units, {@code concepts} concepts in {@code categories} categories. */
    public IouTally(int units, int concepts, int categories) {
        if (units < 1 || concepts < 0 || categories < 0) {
            throw new IllegalArgumentException("tally needs units >= 1, concepts >= 0, categories >= 0; got "
                    + units + ", " + concepts + ", " + categories);
        }
        this.units = units;
        this.concepts = concepts;
        this.categories = categories;
        intersection = new long[Math.multiplyExact(units, concepts)];
        activation = new long[Math.multiplyExact(units, categories)];
        conceptArea = new long[concepts];
    }

    /** Number of units. */
    public int units() {
        return units;
    }

    /** Number of concepts. */
    public int concepts() {
        return concepts;
    }

    /** Number of images tallied. */
    public long images() {
        return images;
    }

    /** Σ |M_k ∩ L_c|. */
    public long intersection(int unit, int concept) {
        return intersection[unit * concepts + concept];
    }

    /** Σ |M_k| over images carrying category {@code category}. */
    public long activation(int unit, int category) {
        return activation[unit * categories + category];
    }

    /** Σ |L_c|. */
    public long conceptArea(int concept) {
        return conceptArea[concept];
    }

    /** IoU of unit {@code unit} with concept {@code concept} ({@code categoryOfConcept} its category); 0 when the union is empty. */
    public double iou(int unit, int concept, int categoryOfConcept) {
        long inter = intersection(unit, concept);
        long union = activation(unit, categoryOfConcept) + conceptArea[concept] - inter;
        return union == 0 ? 0 : (double) inter / union;
    }

    /** Counts one image's concept areas (once per image, whatever the number of units). */
    void addImage(ImageConcepts image) {
        for (int c = 0; c < concepts; c++) {
            conceptArea[c] += image.conceptPixels[c];
        }
        images++;
    }

    /**
     * Counts one unit's mask on one image: the pixels {@code on[0 .. maskCount)} (indices into the
     * segmentation planes) where the upsampled activation is above the unit's threshold.
     */
    void addMask(int unit, int[] on, int maskCount, ImageConcepts image) {
        if (maskCount == 0) {
            return;
        }
        int base = unit * concepts;
        for (int[] plane : image.planes) {
            for (int j = 0; j < maskCount; j++) {
                int c = plane[on[j]];
                if (c >= 0) {
                    intersection[base + c]++;
                }
            }
        }
        for (int c : image.imageLevel) {
            intersection[base + c] += maskCount;
        }
        int abase = unit * categories;
        for (int g = 0; g < categories; g++) {
            if (image.categoryPresent[g]) {
                activation[abase + g] += maskCount;
            }
        }
    }

    /** Adds {@code other}'s counts to this tally. */
    public void merge(IouTally other) {
        if (other.units != units || other.concepts != concepts || other.categories != categories) {
            throw new IllegalArgumentException("cannot merge a tally of " + other.units + " units x " + other.concepts
                    + " concepts into one of " + units + " x " + concepts);
        }
        add(intersection, other.intersection);
        add(activation, other.activation);
        add(conceptArea, other.conceptArea);
        images += other.images;
    }

    private static void add(long[] into, long[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }

    /** Writes the complete state. */
    public void write(DataOutput out) throws IOException {
        out.writeInt(units);
        out.writeInt(concepts);
        out.writeInt(categories);
        out.writeLong(images);
        for (long v : intersection) {
            out.writeLong(v);
        }
        for (long v : activation) {
            out.writeLong(v);
        }
        for (long v : conceptArea) {
            out.writeLong(v);
        }
    }

    /**
     * Reads a tally written by {@link #write}.
     *
     * @throws IOException when the data is not a tally
     */
    public static IouTally read(DataInput in) throws IOException {
        int u = in.readInt();
        int c = in.readInt();
        int g = in.readInt();
        if (u < 1 || c < 0 || g < 0 || (long) u * c > 1 << 28) {
            throw new IOException("corrupt IoU tally header (" + u + " units, " + c + " concepts, " + g + " categories)");
        }
        IouTally t = new IouTally(u, c, g);
        t.images = in.readLong();
        for (int i = 0; i < t.intersection.length; i++) {
            t.intersection[i] = in.readLong();
        }
        for (int i = 0; i < t.activation.length; i++) {
            t.activation[i] = in.readLong();
        }
        for (int i = 0; i < t.conceptArea.length; i++) {
            t.conceptArea[i] = in.readLong();
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IouTally t && t.units == units && t.concepts == concepts && t.categories == categories
                && t.images == images && Arrays.equals(t.intersection, intersection)
                && Arrays.equals(t.activation, activation) && Arrays.equals(t.conceptArea, conceptArea);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(intersection) * 31 + Long.hashCode(images);
    }

    @Override
    public String toString() {
        return "IouTally(" + units + " units x " + concepts + " concepts, " + images + " images)";
    }
}
