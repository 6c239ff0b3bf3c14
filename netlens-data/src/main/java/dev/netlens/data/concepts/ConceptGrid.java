package dev.netlens.data.concepts;

import dev.netlens.data.datasets.FloatImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A contact sheet of concept data, to look at: for each image two panels — the image with its object
 * masks outlined and named (the main object marked with '*'), and the image dimmed with its part
 * masks filled, outlined and named (landmarks as white crosses when the data has
 * {@code landmarks.csv}) — and a caption with the image-level labels and textures. Works on any
 * Broden-format dataset; labels are drawn with a built-in pixel font, so no system fonts are needed.
 *
 * <pre>{@code
 * ConceptGrid.write(Path.of("concepts"), 16, Path.of("docs/concept-scenes.png"));
 * }</pre>
 */
public final class ConceptGrid {
    private static final int PANEL = 224;
    private static final int GAP = 6;
    private static final int CAPTION = 28;
    private static final int COLUMNS = 4;
    private static final int[] PALETTE = {0xff4040, 0x40e040, 0x4090ff, 0xffd700, 0xd070ff, 0xff9020, 0x40e0e0,
        0xff60b0, 0xc0a070, 0xa0ff80, 0xffffff, 0x8080ff, 0xff8080, 0x80ffc0, 0xe0e040, 0xc080ff, 0x60c0ff,
        0xffb080};

    private ConceptGrid() {
    }

    /**
     * Draws the first {@code count} images of the dataset in {@code dataDir} and writes the sheet as a
     * PNG.
     *
     * @throws IllegalArgumentException when the dataset cannot be read or has fewer images
     */
    public static void write(Path dataDir, int count, Path png) {
        BrodenDataset data = BrodenDataset.open(dataDir);
        if (count < 1 || count > data.size()) {
            throw new IllegalArgumentException("count must be in 1.." + data.size() + " (the images in " + dataDir
                    + "), got " + count);
        }
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = i;
        }
        BufferedImage sheet = render(data, indices);
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ImageIO.write(sheet, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }

    /** Draws the given images of {@code data} as a sheet, four pairs of panels per row. */
    public static BufferedImage render(BrodenDataset data, int[] indices) {
        SceneAnnotations notes = SceneAnnotations.present(data.directory())
                ? SceneAnnotations.read(data.directory()) : null;
        int columns = Math.min(COLUMNS, indices.length);
        int rows = (indices.length + columns - 1) / columns;
        int cellW = 2 * PANEL + GAP;
        int cellH = PANEL + CAPTION;
        int width = columns * cellW + (columns + 1) * GAP * 2;
        int height = rows * cellH + (rows + 1) * GAP;
        int[] sheet = new int[width * height];
        java.util.Arrays.fill(sheet, 0x202020);
        for (int k = 0; k < indices.length; k++) {
            int x0 = GAP * 2 + (k % columns) * (cellW + GAP * 2);
            int y0 = GAP + (k / columns) * (cellH + GAP);
            drawCell(data, notes, indices[k], sheet, width, height, x0, y0);
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, width, height, sheet, 0, width);
        return out;
    }

    private static void drawCell(BrodenDataset data, SceneAnnotations notes, int index, int[] sheet, int width,
                                 int height, int x0, int y0) {
        BrodenRecord r = data.record(index);
        ConceptSegmentation seg = data.segmentation(index);
        FloatImage img = data.image(index);
        int ph = Math.max(1, Math.round((float) PANEL * img.height() / img.width()));
        ph = Math.min(ph, PANEL);
        int[] pixels = new int[PANEL * ph];
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < PANEL; x++) {
                int sx = x * img.width() / PANEL;
                int sy = y * img.height() / ph;
                int red = Math.round(img.get(0, sy, sx) * 255);
                int green = Math.round(img.get(1, sy, sx) * 255);
                int blue = Math.round(img.get(2, sy, sx) * 255);
                pixels[y * PANEL + x] = (red << 16) | (green << 8) | blue;
            }
        }
        List<Label> labels = new ArrayList<>();
        // Left panel: objects.
        int[] left = pixels.clone();
        String mainName = null;
        if (notes != null && !notes.objects(r.image()).isEmpty()) {
            mainName = notes.mainObject(r.image()).object();
        }
        for (int[] plane : seg.planes("object")) {
            int[] up = upsample(plane, seg, ph);
            outline(left, up, ph, 2, data, "object", labels, mainName);
        }
        blit(sheet, width, height, left, PANEL, ph, x0, y0);
        drawLabels(sheet, width, height, labels, x0, y0, ph);
        // Right panel: parts.
        labels.clear();
        int[] right = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            right[i] = mix(pixels[i], 0x808080, 0.6);
        }
        for (int[] plane : seg.planes("part")) {
            int[] up = upsample(plane, seg, ph);
            for (int i = 0; i < up.length; i++) {
                if (up[i] != 0) {
                    right[i] = mix(right[i], colour(data, "part", up[i]), 0.6);
                }
            }
            outline(right, up, ph, 1, data, "part", labels, null);
        }
        if (notes != null) {
            for (Landmark l : notes.landmarks(r.image())) {
                if (l.visible() > 0) {
                    cross(right, ph, (int) Math.round(l.x() * PANEL / r.iw()), (int) Math.round(l.y() * ph / r.ih()));
                }
            }
        }
        int xr = x0 + PANEL + GAP;
        blit(sheet, width, height, right, PANEL, ph, xr, y0);
        drawLabels(sheet, width, height, labels, xr, y0, ph);
        // Caption.
        List<String> image = new ArrayList<>();
        for (String c : seg.categories()) {
            for (int l : seg.imageLabels(c)) {
                image.add(c + ": " + name(data, l));
            }
        }
        List<String> textures = new ArrayList<>();
        for (int[] plane : seg.planes("texture")) {
            for (int l : distinct(plane)) {
                textures.add(name(data, l));
            }
        }
        String line1 = r.image() + " (" + r.split() + ")";
        String line2 = String.join("  ", image) + (textures.isEmpty() ? "" : "  textures: " + String.join(",",
                textures));
        PixelFont.draw(sheet, width, height, line1, x0, y0 + ph + 4, 2, 0xc0c0c0);
        PixelFont.draw(sheet, width, height, line2, x0, y0 + ph + 16, 2, 0xffffff);
    }

    private record Label(String text, int colour, int x, int y, int scale) {
    }

    private static int[] upsample(int[] plane, ConceptSegmentation seg, int ph) {
        int[] out = new int[PANEL * ph];
        for (int y = 0; y < ph; y++) {
            int sy = y * seg.height() / ph;
            for (int x = 0; x < PANEL; x++) {
                out[y * PANEL + x] = plane[sy * seg.width() + x * seg.width() / PANEL];
            }
        }
        return out;
    }

    /** Outlines every label of {@code up} (thickness 1 or 2) and queues a name label at its top. */
    private static void outline(int[] panel, int[] up, int ph, int thickness, BrodenDataset data, String category,
                                List<Label> labels, String mainName) {
        Map<Integer, int[]> top = new LinkedHashMap<>();
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < PANEL; x++) {
                int v = up[y * PANEL + x];
                if (v == 0) {
                    continue;
                }
                top.putIfAbsent(v, new int[] {x, y});
                boolean edge = false;
                for (int d = 1; d <= thickness && !edge; d++) {
                    edge = differs(up, ph, x - d, y, v) || differs(up, ph, x + d, y, v) || differs(up, ph, x, y - d, v)
                            || differs(up, ph, x, y + d, v);
                }
                if (edge) {
                    panel[y * PANEL + x] = colour(data, category, v);
                }
            }
        }
        if (thickness == 1) {
            centroids(up, ph, top);
        }
        top.forEach((v, xy) -> {
            String text = name(data, v);
            if (text.equals(mainName)) {
                text = text + "*";
            }
            labels.add(new Label(text, colour(data, category, v), xy[0], xy[1], thickness));
        });
    }

    /** Moves each label's anchor to its mask pixel nearest the mask's centroid (below it by the label height). */
    private static void centroids(int[] up, int ph, Map<Integer, int[]> anchors) {
        Map<Integer, double[]> sums = new LinkedHashMap<>();
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < PANEL; x++) {
                int v = up[y * PANEL + x];
                if (v != 0) {
                    double[] s = sums.computeIfAbsent(v, k -> new double[3]);
                    s[0] += x;
                    s[1] += y;
                    s[2]++;
                }
            }
        }
        Map<Integer, double[]> best = new LinkedHashMap<>();
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < PANEL; x++) {
                int v = up[y * PANEL + x];
                if (v == 0) {
                    continue;
                }
                double[] s = sums.get(v);
                double d = Math.pow(x - s[0] / s[2], 2) + Math.pow(y - s[1] / s[2], 2);
                double[] b = best.get(v);
                if (b == null || d < b[0]) {
                    best.put(v, new double[] {d, x, y});
                }
            }
        }
        best.forEach((v, b) -> anchors.put(v, new int[] {(int) b[1], (int) b[2] + PixelFont.HEIGHT + 5}));
    }

    private static boolean differs(int[] up, int ph, int x, int y, int v) {
        return x < 0 || y < 0 || x >= PANEL || y >= ph || up[y * PANEL + x] != v;
    }

    private static void drawLabels(int[] sheet, int width, int height, List<Label> labels, int x0, int y0, int ph) {
        for (Label l : labels) {
            int w = PixelFont.width(l.text(), l.scale()) + 4;
            int h = PixelFont.HEIGHT * l.scale() + 4;
            int x = Math.max(0, Math.min(PANEL - w, l.x() - w / 2));
            int y = Math.max(0, Math.min(ph - h, l.y() - h - 1));
            for (int yy = 0; yy < h; yy++) {
                for (int xx = 0; xx < w; xx++) {
                    int px = x0 + x + xx;
                    int py = y0 + y + yy;
                    if (px < width && py < height) {
                        sheet[py * width + px] = 0x000000;
                    }
                }
            }
            PixelFont.draw(sheet, width, height, l.text(), x0 + x + 2, y0 + y + 2, l.scale(), l.colour());
        }
    }

    private static void cross(int[] panel, int ph, int cx, int cy) {
        for (int d = -3; d <= 3; d++) {
            set(panel, ph, cx + d, cy, 0xffffff);
            set(panel, ph, cx, cy + d, 0xffffff);
        }
    }

    private static void set(int[] panel, int ph, int x, int y, int rgb) {
        if (x >= 0 && y >= 0 && x < PANEL && y < ph) {
            panel[y * PANEL + x] = rgb;
        }
    }

    private static void blit(int[] sheet, int width, int height, int[] panel, int pw, int ph, int x0, int y0) {
        for (int y = 0; y < ph && y0 + y < height; y++) {
            for (int x = 0; x < pw && x0 + x < width; x++) {
                sheet[(y0 + y) * width + x0 + x] = panel[y * pw + x];
            }
        }
    }

    private static int mix(int a, int b, double t) {
        int r = (int) Math.round(((a >> 16) & 0xff) * (1 - t) + ((b >> 16) & 0xff) * t);
        int g = (int) Math.round(((a >> 8) & 0xff) * (1 - t) + ((b >> 8) & 0xff) * t);
        int bl = (int) Math.round((a & 0xff) * (1 - t) + (b & 0xff) * t);
        return (r << 16) | (g << 8) | bl;
    }

    private static int colour(BrodenDataset data, String category, int label) {
        List<CategoryCode> codes = data.category(category).codes();
        for (CategoryCode c : codes) {
            if (c.number() == label) {
                return PALETTE[Math.floorMod(c.code() - 1, PALETTE.length)];
            }
        }
        return PALETTE[Math.floorMod(label, PALETTE.length)];
    }

    private static String name(BrodenDataset data, int label) {
        ConceptLabel l = data.labels().get(label);
        return l != null ? l.name() : String.valueOf(label);
    }

    private static List<Integer> distinct(int[] plane) {
        java.util.TreeSet<Integer> s = new java.util.TreeSet<>();
        for (int v : plane) {
            if (v != 0) {
                s.add(v);
            }
        }
        return new ArrayList<>(s);
    }
}
