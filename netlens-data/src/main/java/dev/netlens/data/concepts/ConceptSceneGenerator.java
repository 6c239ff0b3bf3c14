package dev.netlens.data.concepts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Generates synthetic concept scenes with known answers, written in the Broden layout that
 * {@link BrodenDataset} reads — a planted-ground-truth benchmark in the spirit of Network Dissection's
 * Broden (Bau et al., CVPR 2017), with the concepts of {@link ConceptVocabulary}: every pixel has a
 * colour label; 1–3 objects per image (simple shapes, and houses, cars, faces, trees, flowers and
 * people made of parts) at random positions, scales, rotations, colours and textures, later objects
 * covering earlier ones; part and texture masks where they are visible; a background scene as an
 * image-level label; and a main object per image for classification.
 *
 * <pre>{@code
 * ConceptSceneGenerator.builder().size(112).seed(7).build().generate(Path.of("concepts"), 10_000);
 * BrodenDataset data = BrodenDataset.open(Path.of("concepts"));
 * }</pre>
 *
 * <p>Files written to the output folder:
 * <pre>
 * index.csv        image,split,ih,iw,sh,sw,color,object,part,texture,scene
 * category.csv     name,first,last,count,frequency
 * label.csv        number,name,category,frequency,coverage,syns
 * c_&lt;category&gt;.csv code,number,name,frequency,coverage   (color, object, part, texture, scene)
 * objects.csv      image,instance,object,main,x,y,scale,rotation,flipped,colour,texture,visible
 * landmarks.csv    image,instance,object,part,x,y,visible   (the centre of every part instance)
 * README.txt       what the folder holds and how it was made
 * images/concepts/NNNNNN.png           the RGB image
 * images/concepts/NNNNNN_color.png     colour labels (every pixel)
 * images/concepts/NNNNNN_object.png    object labels
 * images/concepts/NNNNNN_part.png      part labels (when the image has parts)
 * images/concepts/NNNNNN_part2.png     sub-parts drawn on parts (windows, doors, eyes, …; when present)
 * images/concepts/NNNNNN_texture.png   texture labels (when a textured surface is visible)
 * </pre>
 * Segmentations are at full image resolution ({@code sh = ih}). Scene labels sit in the
 * {@code scene} column of {@code index.csv} as label numbers. Each image is drawn from its own random
 * stream, a function of (seed, image index) only, and the work is spread over threads, so the same
 * seed gives byte-identical files whatever the thread count.
 */
public final class ConceptSceneGenerator {
    /** The folder under {@code images/} holding the generated files. */
    public static final String IMAGE_FOLDER = "concepts";

    private final int size;
    private final long seed;
    private final double valFraction;
    private final int threads;
    private final int maxObjects;

    private ConceptSceneGenerator(Builder b) {
        this.size = b.size;
        this.seed = b.seed;
        this.valFraction = b.valFraction;
        this.threads = b.threads;
        this.maxObjects = b.maxObjects;
    }

    /** A builder with the defaults: size 112, seed 0, 10 % val, all processors, up to 3 objects. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of the generator. */
    public static final class Builder {
        private int size = 112;
        private long seed;
        private double valFraction = 0.1;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int maxObjects = 3;

        private Builder() {
        }

        /** Image side in pixels (default 112; at least 16). */
        public Builder size(int size) {
            if (size < 16 || size > 4096) {
                throw new IllegalArgumentException("size must be in 16..4096 pixels, got " + size);
            }
            this.size = size;
            return this;
        }

        /** The seed (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The expected fraction of images in split {@code val} (default 0.1); the rest are {@code train}. */
        public Builder valFraction(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("val fraction must be in [0, 1], got " + fraction);
            }
            this.valFraction = fraction;
            return this;
        }

        /** Worker threads (default: available processors); does not change the output. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** The most objects per image, 1..3 by default 3. */
        public Builder maxObjects(int maxObjects) {
            if (maxObjects < 1 || maxObjects > 8) {
                throw new IllegalArgumentException("max objects must be in 1..8, got " + maxObjects);
            }
            this.maxObjects = maxObjects;
            return this;
        }

        public ConceptSceneGenerator build() {
            return new ConceptSceneGenerator(this);
        }
    }

    /** The image side in pixels. */
    public int size() {
        return size;
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** The image name of scene {@code index} relative to {@code images/}. */
    public static String imageName(int index) {
        return IMAGE_FOLDER + "/" + String.format(java.util.Locale.ROOT, "%06d", index) + ".png";
    }

    /** Renders scene {@code index} in memory (what {@link #generate} writes for it). */
    public ConceptScene render(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("scene index must be >= 0, got " + index);
        }
        long h = TexturePattern.mix(seed ^ 0x5DEECE66DL);
        h = TexturePattern.mix(h + 0x9E3779B97F4A7C15L * (index + 1L));
        String split = TexturePattern.lattice(index, 0x51, seed) < valFraction ? "val" : "train";
        return new SceneRenderer(size, maxObjects).render(index, imageName(index), split, new SplittableRandom(h));
    }

    /**
     * Writes {@code count} scenes in the Broden layout to {@code out} (created if missing; files of an
     * earlier run with the same names are overwritten).
     *
     * @return the label statistics written to {@code label.csv} and {@code c_*.csv}
     */
    public ConceptStatistics generate(Path out, int count) {
        Objects.requireNonNull(out, "out");
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        Path images = out.resolve("images").resolve(IMAGE_FOLDER);
        try {
            Files.createDirectories(images);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + images, e);
        }
        ImageResult[] results = new ImageResult[count];
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, count), r -> {
            Thread t = new Thread(r, "concept-scenes");
            t.setDaemon(true);
            return t;
        });
        try {
            int chunk = 64;
            List<Future<?>> futures = new ArrayList<>();
            for (int start = 0; start < count; start += chunk) {
                int from = start;
                int to = Math.min(count, start + chunk);
                futures.add(pool.submit(() -> {
                    for (int i = from; i < to; i++) {
                        results[i] = writeImage(out, render(i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating concept scenes", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
        return writeTables(out, results);
    }

    /** What one image contributes to the tables (no pixels). */
    private record ImageResult(ConceptScene scene, Map<String, List<String>> files,
                               ConceptStatistics.ImageCounts counts) {
    }

    private ImageResult writeImage(Path out, ConceptScene scene) {
        Path images = out.resolve("images");
        Png.writeRgb(images.resolve(scene.image()), scene.rgb(), size, size);
        scene.planes().forEach((category, files) -> files.forEach(
                (name, plane) -> Png.writeLabels(images.resolve(name), plane, size, size)));
        ConceptStatistics.ImageCounts counts = ConceptStatistics.Accumulator.count(scene.segmentation(),
                ConceptVocabulary.CATEGORIES);
        ConceptScene light = new ConceptScene(scene.index(), scene.image(), scene.split(), scene.size(),
                scene.scene(), null, null, null, null, null, null, scene.objects(), scene.landmarks());
        return new ImageResult(light, scene.segmentationFiles(), counts);
    }

    private static String two(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    private ConceptStatistics writeTables(Path out, ImageResult[] results) {
        List<String> categories = ConceptVocabulary.CATEGORIES;
        ConceptStatistics.Accumulator acc = new ConceptStatistics.Accumulator(categories);
        List<String> header = new ArrayList<>(BrodenDataset.INDEX_COLUMNS);
        header.addAll(categories);
        CsvWriter index = new CsvWriter(header.toArray(String[]::new));
        CsvWriter objects = new CsvWriter("image", "instance", "object", "main", "x", "y", "scale", "rotation",
                "flipped", "colour", "texture", "visible");
        CsvWriter landmarks = new CsvWriter("image", "instance", "object", "part", "x", "y", "visible");
        for (ImageResult r : results) {
            acc.add(r.counts());
            ConceptScene s = r.scene();
            Map<String, List<String>> files = r.files();
            List<Object> row = new ArrayList<>(List.of(s.image(), s.split(), size, size, size, size));
            for (String c : categories) {
                row.add(c.equals("scene") ? String.valueOf(ConceptVocabulary.number("scene", s.scene()))
                        : String.join(";", files.getOrDefault(c, List.of())));
            }
            index.row(row.toArray());
            for (SceneObject o : s.objects()) {
                objects.row(o.image(), o.instance(), o.object(), o.main() ? 1 : 0, two(o.x()), two(o.y()),
                        two(o.scale()), two(o.rotation()), o.flipped() ? 1 : 0, o.colour(), o.texture(),
                        o.visible());
            }
            for (Landmark l : s.landmarks()) {
                landmarks.row(l.image(), l.instance(), l.object(), l.part(), two(l.x()), two(l.y()),
                        l.visible());
            }
        }
        ConceptStatistics stats = acc.result();
        index.write(out.resolve("index.csv"));
        objects.write(out.resolve("objects.csv"));
        landmarks.write(out.resolve("landmarks.csv"));
        writeLabelTables(out, stats);
        writeReadme(out, results.length);
        return stats;
    }

    private void writeLabelTables(Path out, ConceptStatistics stats) {
        CsvWriter label = new CsvWriter("number", "name", "category", "frequency", "coverage", "syns");
        CsvWriter category = new CsvWriter("name", "first", "last", "count", "frequency");
        for (String c : ConceptVocabulary.CATEGORIES) {
            List<String> names = ConceptVocabulary.names(c);
            int first = ConceptVocabulary.first(c);
            CsvWriter codes = new CsvWriter("code", "number", "name", "frequency", "coverage");
            for (int k = 0; k < names.size(); k++) {
                int number = first + k;
                ConceptStatistics.LabelStatistics s = stats.label(number);
                codes.row(k + 1, number, names.get(k), stats.frequency(c, number), stats.coverage(c, number));
                label.row(number, names.get(k), c + "(" + stats.frequency(c, number) + ")", s.frequency(),
                        s.coverage(), "");
            }
            codes.write(out.resolve("c_" + c + ".csv"));
            category.row(c, first, first + names.size() - 1, names.size(), stats.categoryFrequency(c));
        }
        label.write(out.resolve("label.csv"));
        category.write(out.resolve("category.csv"));
    }

    private void writeReadme(Path out, int count) {
        String text = "netlens synthetic concept scenes (Broden layout)\n"
                + "=================================================\n"
                + "count: " + count + "\nsize: " + size + "x" + size + " (segmentations at full resolution)\n"
                + "seed: " + seed + "\nval fraction: " + valFraction + "\nmax objects per image: " + maxObjects + "\n\n"
                + "index.csv, category.csv, label.csv and c_<category>.csv follow the Broden format of\n"
                + "Network Dissection (segmentation label = R + 256*G). Categories: color (every pixel),\n"
                + "object, part (level-1 parts in *_part.png, sub-parts drawn on them in *_part2.png),\n"
                + "texture (where painted) and scene (image-level label numbers in index.csv).\n"
                + "objects.csv lists every object instance (main=1 marks the classification label);\n"
                + "landmarks.csv gives the centre of every part instance in pixels.\n"
                + "Regenerate: same count, size and seed give byte-identical files.\n";
        try {
            Files.writeString(out.resolve("README.txt"), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve("README.txt"), e);
        }
    }
}
