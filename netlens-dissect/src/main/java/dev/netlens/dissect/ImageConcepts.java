package dev.netlens.dissect;

import dev.netlens.data.concepts.ConceptSegmentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One image's concepts at segmentation resolution, prepared once and shared by all units: per
 * label plane the dense concept index at each pixel (−1 where unlabelled, not scored, repeated
 * from an earlier plane, or covered by an image-level label — so each (pixel, concept) counts
 * once), the image-level concepts, the pixel count of each concept and the categories present.
 */
final class ImageConcepts {
    final int height;
    final int width;
    final int[][] planes;
    final int[] imageLevel;
    final long[] conceptPixels;
    final boolean[] categoryPresent;

    private ImageConcepts(int height, int width, int[][] planes, int[] imageLevel, long[] conceptPixels,
                          boolean[] categoryPresent) {
        this.height = height;
        this.width = width;
        this.planes = planes;
        this.imageLevel = imageLevel;
        this.conceptPixels = conceptPixels;
        this.categoryPresent = categoryPresent;
    }

    static ImageConcepts of(ConceptSegmentation seg, ConceptIndex index) {
        int area = seg.height() * seg.width();
        boolean[] wholeImage = new boolean[index.size()];
        List<Integer> imageLevel = new ArrayList<>();
        List<int[]> rawPlanes = new ArrayList<>();
        for (String category : seg.categories()) {
            for (int number : seg.imageLabels(category)) {
                int d = index.dense(number);
                if (d >= 0 && !wholeImage[d]) {
                    wholeImage[d] = true;
                    imageLevel.add(d);
                }
            }
            rawPlanes.addAll(seg.planes(category));
        }
        int[][] planes = new int[rawPlanes.size()][];
        long[] pixels = new long[index.size()];
        for (int p = 0; p < planes.length; p++) {
            int[] raw = rawPlanes.get(p);
            int[] dense = new int[area];
            for (int i = 0; i < area; i++) {
                int d = index.dense(raw[i]);
                if (d >= 0 && !wholeImage[d]) {
                    for (int q = 0; q < p && d >= 0; q++) {
                        if (planes[q][i] == d) {
                            d = -1;
                        }
                    }
                }
                if (d >= 0 && wholeImage[d]) {
                    d = -1;
                }
                dense[i] = d;
                if (d >= 0) {
                    pixels[d]++;
                }
            }
            planes[p] = dense;
        }
        for (int d : imageLevel) {
            pixels[d] += area;
        }
        boolean[] present = new boolean[index.categories().size()];
        for (int d = 0; d < pixels.length; d++) {
            if (pixels[d] > 0) {
                present[index.category(d)] = true;
            }
        }
        return new ImageConcepts(seg.height(), seg.width(), planes,
                imageLevel.stream().mapToInt(Integer::intValue).toArray(), pixels, present);
    }

    @Override
    public String toString() {
        return "ImageConcepts(" + height + "x" + width + ", " + planes.length + " planes, image-level "
                + Arrays.toString(imageLevel) + ")";
    }
}
