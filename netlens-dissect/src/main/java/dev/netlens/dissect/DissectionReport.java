package dev.netlens.dissect;

import dev.netlens.core.graph.Graph;
import dev.netlens.core.graph.Trace;
import dev.netlens.core.tensor.Tensor;
import dev.netlens.data.concepts.BrodenDataset;
import dev.netlens.data.datasets.FloatImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/**
 * The HTML report of a dissection (Bau et al., "Network Dissection: Quantifying Interpretability
 * of Deep Visual Representations", CVPR 2017, Fig. 2-style unit cards): a folder with
 * {@code index.html} and {@code assets/}. Per layer a summary (detectors and unique concepts per
 * category as bar charts), a sortable, filterable table of all units, and one card per unit —
 * its best concept, IoU and the top images with the unit's mask (upsampled activation above the
 * unit's threshold) outlined and the rest dimmed, so a person sees at a glance what it detects.
 * No external resources: the page opens from disk in any browser. Units are numbered from 1 as in
 * {@code tally.csv} (channel = unit − 1).
 */
public final class DissectionReport {
    /** Images shown per unit card. */
    private final int imagesPerUnit;

    public DissectionReport(int imagesPerUnit) {
        if (imagesPerUnit < 1) {
            throw new IllegalArgumentException("images per unit must be >= 1, got " + imagesPerUnit);
        }
        this.imagesPerUnit = imagesPerUnit;
    }

    /**
     * Writes {@code dir/index.html} and {@code dir/assets/*.png}; the model is run once more on the
     * units' top images to draw their masks (with the same preprocessing as the dissection: the
     * model's {@code netlens.*} metadata).
     *
     * @return the path of {@code index.html}
     */
    public Path write(Path dir, Graph graph, BrodenDataset data, DissectionResult result, String title) {
        Path assets = dir.resolve("assets");
        try {
            Files.createDirectories(assets);
            StringBuilder html = new StringBuilder();
            head(html, title, result, data);
            ProbeImages probe = new ProbeImages(ProbeImages.fromGraph(graph));
            int layerIndex = 0;
            for (LayerDissection layer : result.layers()) {
                Map<Integer, float[][]> maps = activations(graph, probe, data, layer);
                layerSection(html, layer, layerIndex, maps, data, assets);
                layerIndex++;
            }
            html.append(SCRIPT).append("</body></html>\n");
            Path index = dir.resolve("index.html");
            Files.writeString(index, html.toString(), StandardCharsets.UTF_8);
            return index;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** For every image shown in the layer's cards: its activation maps, [unit][h·w] plus the map size. */
    private Map<Integer, float[][]> activations(Graph graph, ProbeImages probe, BrodenDataset data, LayerDissection layer) {
        TreeSet<Integer> images = new TreeSet<>();
        for (UnitDissection u : layer.units()) {
            int[] top = u.topImages();
            for (int i = 0; i < Math.min(imagesPerUnit, top.length); i++) {
                images.add(top[i]);
            }
        }
        Map<Integer, float[][]> out = new HashMap<>();
        List<Integer> list = new ArrayList<>(images);
        for (int from = 0; from < list.size(); from += 32) {
            int to = Math.min(list.size(), from + 32);
            List<Tensor> single = new ArrayList<>();
            for (int i = from; i < to; i++) {
                single.add(probe.batch(data, list.get(i), list.get(i) + 1));
            }
            Tensor batch = concat(single);
            Trace t = graph.run().outputs(layer.layer()).forward(batch);
            Tensor a = t.output(layer.layer());
            int units = a.dim(1);
            int plane = a.rank() == 4 ? a.dim(2) * a.dim(3) : 1;
            int h = a.rank() == 4 ? a.dim(2) : 1;
            int w = a.rank() == 4 ? a.dim(3) : 1;
            for (int i = from; i < to; i++) {
                float[][] m = new float[units + 1][];
                for (int k = 0; k < units; k++) {
                    m[k] = new float[plane];
                    System.arraycopy(a.data(), ((i - from) * units + k) * plane, m[k], 0, plane);
                }
                m[units] = new float[] {h, w};
                out.put(list.get(i), m);
            }
        }
        return out;
    }

    private static Tensor concat(List<Tensor> items) {
        int[] shape = items.get(0).shape().clone();
        int per = items.get(0).size();
        shape[0] = items.size();
        float[] data = new float[per * items.size()];
        for (int i = 0; i < items.size(); i++) {
            System.arraycopy(items.get(i).data(), 0, data, i * per, per);
        }
        return Tensor.of(data, shape);
    }

    private void layerSection(StringBuilder html, LayerDissection layer, int layerIndex, Map<Integer, float[][]> maps,
                              BrodenDataset data, Path assets) throws IOException {
        String id = "layer" + layerIndex;
        html.append("<section id=\"").append(id).append("\"><h2>").append(esc(layer.layer())).append("</h2>\n");
        html.append(String.format(Locale.ROOT, "<p>%d units, <b>%d detectors</b> (IoU &gt; %.2f), <b>%d unique concepts</b>.</p>%n",
                layer.units().size(), layer.detectors().size(), layer.iouThreshold(), layer.uniqueConcepts()));
        html.append("<div class=\"charts\">");
        barChart(html, "detectors per category", layer.detectorsPerCategory());
        barChart(html, "unique concepts per category", layer.uniqueConceptsPerCategory());
        html.append("</div>\n");
        // table of all units
        html.append("<p><input class=\"filter\" placeholder=\"filter units (label, category, unit)\" data-table=\"")
                .append(id).append("-table\"></p>\n");
        html.append("<table class=\"units\" id=\"").append(id).append("-table\"><thead><tr>")
                .append("<th data-type=\"n\">unit</th><th>category</th><th>label</th><th data-type=\"n\">IoU</th>")
                .append("<th>detector</th><th data-type=\"n\">threshold</th></tr></thead><tbody>\n");
        for (UnitDissection u : layer.units()) {
            ConceptScore best = best(u);
            html.append(String.format(Locale.ROOT,
                    "<tr><td><a href=\"#%s-u%d\">%d</a></td><td>%s</td><td>%s</td><td>%.4f</td><td>%s</td><td>%.4g</td></tr>%n",
                    id, u.unit() + 1, u.unit() + 1, esc(best.category()), esc(best.label()), best.iou(),
                    u.detector() ? "yes" : "", u.threshold()));
        }
        html.append("</tbody></table>\n");
        // cards, best IoU first
        List<UnitDissection> sorted = new ArrayList<>(layer.units());
        sorted.sort(Comparator.comparingDouble((UnitDissection u) -> -best(u).iou()).thenComparingInt(UnitDissection::unit));
        html.append("<div class=\"cards\">\n");
        for (UnitDissection u : sorted) {
            String png = id + "-unit" + (u.unit() + 1) + ".png";
            ConceptScore best = best(u);
            BufferedImage strip = strip(u, maps, data);
            ImageIO.write(strip, "png", assets.resolve(png).toFile());
            html.append(String.format(Locale.ROOT,
                    "<div class=\"card%s\" id=\"%s-u%d\"><div class=\"title\">unit %d &mdash; <b>%s</b> <span class=\"cat\">(%s)</span> IoU %.3f%s</div>"
                            + "<img src=\"assets/%s\" alt=\"top images of unit %d\" width=\"%d\" height=\"%d\"></div>%n",
                    u.detector() ? " detector" : "", id, u.unit() + 1, u.unit() + 1, esc(best.label()), esc(best.category()),
                    best.iou(), u.detector() ? "" : " &middot; not a detector", png, u.unit() + 1, strip.getWidth(),
                    strip.getHeight()));
        }
        html.append("</div></section>\n");
    }

    private static ConceptScore best(UnitDissection u) {
        return u.best() != null ? u.best() : new ConceptScore("-", "none", 0, 0);
    }

    /** The unit's top images side by side, outside its mask dimmed and the mask's edge drawn in yellow. */
    private BufferedImage strip(UnitDissection u, Map<Integer, float[][]> maps, BrodenDataset data) {
        int[] top = u.topImages();
        int n = Math.max(1, Math.min(imagesPerUnit, top.length));
        List<BufferedImage> tiles = new ArrayList<>();
        for (int i = 0; i < Math.min(n, top.length); i++) {
            FloatImage img = data.image(top[i]);
            float[][] m = maps.get(top[i]);
            int mh = (int) m[m.length - 1][0];
            int mw = (int) m[m.length - 1][1];
            int h = img.height();
            int w = img.width();
            float[] up = new float[h * w];
            new BilinearUpsampler(mh, mw, h, w).apply(m[u.unit()], 0, up);
            tiles.add(overlay(img, up, u.threshold()));
        }
        int tileW = tiles.isEmpty() ? 64 : tiles.get(0).getWidth();
        int tileH = tiles.isEmpty() ? 64 : tiles.get(0).getHeight();
        int gap = 3;
        BufferedImage out = new BufferedImage(Math.max(1, tiles.size()) * (tileW + gap) - gap, tileH, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < tiles.size(); i++) {
            g.drawImage(tiles.get(i), i * (tileW + gap), 0, null);
        }
        g.dispose();
        return out;
    }

    static BufferedImage overlay(FloatImage img, float[] up, float threshold) {
        int h = img.height();
        int w = img.width();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        float[] px = img.data();
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                boolean in = up[p] > threshold;
                boolean edge = in && (x == 0 || y == 0 || x == w - 1 || y == h - 1 || !(up[p - 1] > threshold)
                        || !(up[p + 1] > threshold) || !(up[p - w] > threshold) || !(up[p + w] > threshold));
                float dim = in ? 1f : 0.3f;
                int r;
                int gr;
                int b;
                if (edge) {
                    r = 255;
                    gr = 230;
                    b = 0;
                } else if (img.channels() >= 3) {
                    r = channel(px[p] * dim);
                    gr = channel(px[plane + p] * dim);
                    b = channel(px[2 * plane + p] * dim);
                } else {
                    r = gr = b = channel(px[p] * dim);
                }
                out.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        return out;
    }

    private static int channel(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }

    private static void barChart(StringBuilder html, String title, Map<String, Integer> counts) {
        int max = Math.max(1, counts.values().stream().mapToInt(Integer::intValue).max().orElse(1));
        int rowH = 22;
        int labelW = 90;
        int barW = 220;
        int height = counts.size() * rowH + 28;
        html.append(String.format(Locale.ROOT, "<svg class=\"chart\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">",
                labelW + barW + 50, height, esc(title)));
        html.append("<text x=\"0\" y=\"16\" class=\"ct\">").append(esc(title)).append("</text>");
        int y = 28;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            int len = (int) Math.round((double) barW * e.getValue() / max);
            html.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"></rect>"
                            + "<text x=\"%d\" y=\"%d\">%d</text>",
                    labelW - 6, y + 14, esc(e.getKey()), labelW, y + 2, len, rowH - 6, labelW + len + 4, y + 14, e.getValue()));
            y += rowH;
        }
        html.append("</svg>");
    }

    private static void head(StringBuilder html, String title, DissectionResult result, BrodenDataset data) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>").append(STYLE).append("</style></head><body>\n<h1>").append(esc(title)).append("</h1>\n");
        html.append("<p class=\"meta\">probe data: ").append(esc(data.directory().toString())).append(" (")
                .append(data.size()).append(" images)");
        Map<String, String> p = new LinkedHashMap<>(result.provenance());
        for (Map.Entry<String, String> e : p.entrySet()) {
            html.append(" &middot; ").append(esc(e.getKey())).append(": ").append(esc(e.getValue()));
        }
        html.append("</p>\n<nav>");
        for (int i = 0; i < result.layers().size(); i++) {
            html.append("<a href=\"#layer").append(i).append("\">").append(esc(result.layers().get(i).layer())).append("</a> ");
        }
        html.append("</nav>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String STYLE = String.join("\n",
            "body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}",
            "h2{border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:36px}",
            ".meta{color:#555;font-size:13px}nav a{margin-right:12px}",
            ".charts{display:flex;gap:32px;flex-wrap:wrap}.chart text{font-size:12px}.chart .ct{font-weight:600}",
            ".chart rect{fill:#4c78a8}",
            "table.units{border-collapse:collapse;font-size:13px;margin:8px 0 16px}",
            "table.units th,table.units td{border:1px solid #ddd;padding:2px 8px;text-align:left}",
            "table.units th{background:#f3f3f3;cursor:pointer;user-select:none}",
            "table.units{display:block;max-height:320px;overflow-y:auto}",
            ".filter{width:320px;padding:4px}",
            ".cards{display:flex;flex-direction:column;gap:10px}",
            ".card{border:1px solid #ddd;border-radius:6px;padding:6px 8px;background:#fafafa}",
            ".card.detector{border-color:#4c78a8}.card .title{font-size:14px;margin-bottom:4px}",
            ".card .cat{color:#666}.card img{image-rendering:pixelated;max-width:100%;height:auto}");

    private static final String SCRIPT = String.join("\n",
            "<script>",
            "document.querySelectorAll('table.units').forEach(function(t){",
            "  t.querySelectorAll('th').forEach(function(th,col){th.addEventListener('click',function(){",
            "    var rows=Array.from(t.tBodies[0].rows),num=th.dataset.type==='n',asc=th.dataset.asc!=='1';",
            "    rows.sort(function(a,b){var x=a.cells[col].textContent,y=b.cells[col].textContent;",
            "      var r=num?(parseFloat(x)-parseFloat(y)):x.localeCompare(y);return asc?r:-r;});",
            "    th.dataset.asc=asc?'1':'0';rows.forEach(function(r){t.tBodies[0].appendChild(r);});});});});",
            "document.querySelectorAll('input.filter').forEach(function(f){f.addEventListener('input',function(){",
            "  var q=f.value.toLowerCase(),t=document.getElementById(f.dataset.table);",
            "  Array.from(t.tBodies[0].rows).forEach(function(r){r.style.display=r.textContent.toLowerCase().indexOf(q)>=0?'':'none';});",
            "});});",
            "</script>");
}
