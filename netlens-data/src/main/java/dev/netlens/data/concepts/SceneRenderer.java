package dev.netlens.data.concepts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draws one concept scene from its random stream: a background, then 1–3 objects (distractors first,
 * the main object last and largest), each pixel tested at its centre against the pieces of the
 * object in its local frame. Later objects overwrite earlier ones in every buffer, so the masks show
 * what is visible.
 */
final class SceneRenderer {
    private static final int MAX_PIECES = 64;

    private final int size;
    private final int maxObjects;

    SceneRenderer(int size, int maxObjects) {
        this.size = size;
        this.maxObjects = maxObjects;
    }

    ConceptScene render(int index, String image, String split, SplittableRandom random) {
        int area = size * size;
        int[] rgb = new int[area];
        int[] colour = new int[area];
        int[] object = new int[area];
        int[] part = new int[area];
        int[] subpart = new int[area];
        int[] texture = new int[area];
        int[] instanceOf = new int[area];
        int[] piece1 = new int[area];
        int[] piece2 = new int[area];
        Arrays.fill(piece1, -1);
        Arrays.fill(piece2, -1);

        int scene = random.nextInt(ConceptVocabulary.SCENES.size());
        SceneBackground.paint(scene, size, rgb, colour, random);
        int avoid1 = SceneBackground.dominantColour(scene);
        int avoid2 = SceneBackground.secondaryColour(scene);

        int count = 1 + random.nextInt(maxObjects);
        int objectClasses = ConceptVocabulary.OBJECTS.size();
        int[] classes = new int[count];
        for (int k = 0; k < count; k++) {
            classes[k] = random.nextInt(objectClasses);
        }
        List<Placement> placements = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            boolean main = k == count - 1;
            Placement p = place(k + 1, ObjectModel.of(classes[k]), main, avoid1, avoid2, random);
            placements.add(p);
            draw(p, rgb, colour, object, part, subpart, texture, instanceOf, piece1, piece2);
        }

        for (int i = 0; i < area; i++) {
            colour[i] += ConceptVocabulary.first("color");
        }
        int[] visibleInstance = new int[count + 1];
        int[] visiblePiece = new int[(count + 1) * MAX_PIECES];
        for (int i = 0; i < area; i++) {
            visibleInstance[instanceOf[i]]++;
            if (piece1[i] >= 0) {
                visiblePiece[piece1[i]]++;
            }
            if (piece2[i] >= 0) {
                visiblePiece[piece2[i]]++;
            }
        }
        List<SceneObject> objects = new ArrayList<>();
        List<Landmark> landmarks = new ArrayList<>();
        for (Placement p : placements) {
            objects.add(new SceneObject(image, p.instance, p.model.name(), p.main, round(p.x), round(p.y),
                    round(p.scale), round(p.degrees), p.flipped, ConceptVocabulary.COLOURS.get(p.paint),
                    p.texture < 0 ? "" : ConceptVocabulary.TEXTURES.get(p.texture), visibleInstance[p.instance]));
            List<ObjectModel.Piece> pieces = p.model.pieces();
            for (int j = 0; j < pieces.size(); j++) {
                ObjectModel.Piece piece = pieces.get(j);
                if (piece.part() == null) {
                    continue;
                }
                double[] xy = p.toImage(piece.cu(), piece.cv());
                landmarks.add(new Landmark(image, p.instance, p.model.name(), piece.part(), round(xy[0]),
                        round(xy[1]), visiblePiece[p.instance * MAX_PIECES + j]));
            }
        }
        return new ConceptScene(index, image, split, size, ConceptVocabulary.SCENES.get(scene), rgb, colour, object,
                part, subpart, texture, List.copyOf(objects), List.copyOf(landmarks));
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** An object instance placed in the image with its colours. */
    private static final class Placement {
        int instance;
        ObjectModel model;
        boolean main;
        double x;
        double y;
        double scale;
        double degrees;
        boolean flipped;
        double cos;
        double sin;
        int paint;
        int texture;
        int ink;
        long textureSeed;
        int[] pieceRgb;
        int[] pieceColour;

        double[] toImage(double u, double v) {
            double uu = flipped ? -u : u;
            return new double[] {x + scale * (cos * uu - sin * v), y + scale * (sin * uu + cos * v)};
        }
    }

    private Placement place(int instance, ObjectModel model, boolean main, int avoid1, int avoid2,
                            SplittableRandom random) {
        Placement p = new Placement();
        p.instance = instance;
        p.model = model;
        p.main = main;
        p.scale = size * (main ? 0.30 + 0.12 * random.nextDouble() : 0.14 + 0.10 * random.nextDouble());
        double margin = 0.8 * p.scale;
        double lo = main ? Math.max(margin, 0.32 * size) : margin;
        double hi = main ? Math.min(size - margin, 0.68 * size) : size - margin;
        p.x = hi > lo ? lo + (hi - lo) * random.nextDouble() : size / 2.0;
        p.y = hi > lo ? lo + (hi - lo) * random.nextDouble() : size / 2.0;
        p.degrees = model.upright() ? -25 + 50 * random.nextDouble() : 360 * random.nextDouble();
        p.flipped = model.upright() && random.nextBoolean();
        double a = Math.toRadians(round(p.degrees));
        p.cos = StrictMath.cos(a);
        p.sin = StrictMath.sin(a);
        p.paint = pick(model.paintColours(), random, avoid1, avoid2, -1);
        p.texture = random.nextDouble() < 0.6 ? random.nextInt(ConceptVocabulary.TEXTURES.size()) : -1;
        p.ink = pick(ObjectModel.ALL.get(0).paintColours(), random, p.paint, avoid1, avoid2);
        p.textureSeed = random.nextLong();
        List<ObjectModel.Piece> pieces = model.pieces();
        p.pieceRgb = new int[pieces.size()];
        p.pieceColour = new int[pieces.size()];
        Map<String, Integer> partColour = new LinkedHashMap<>();
        for (int j = 0; j < pieces.size(); j++) {
            ObjectModel.Piece piece = pieces.get(j);
            int c;
            if (piece.paintable()) {
                c = p.paint;
            } else {
                Integer known = partColour.get(piece.part());
                c = known != null ? known
                        : pick(piece.colours(), random, p.paint, piece.level() == 1 ? avoid1 : -1, -1);
                partColour.put(piece.part(), c);
            }
            p.pieceColour[j] = c;
            int d = random.nextInt(25) - 12;
            p.pieceRgb[j] = NamedColour.shade(NamedColour.rgb(c), d, d, d);
        }
        return p;
    }

    /** A random colour from {@code choices} other than the excluded ones (when some remain). */
    private static int pick(int[] choices, SplittableRandom random, int not1, int not2, int not3) {
        int[] ok = Arrays.stream(choices).filter(c -> c != not1 && c != not2 && c != not3).toArray();
        int[] from = ok.length > 0 ? ok : choices;
        return from[random.nextInt(from.length)];
    }

    private void draw(Placement p, int[] rgb, int[] colour, int[] object, int[] part, int[] subpart, int[] texture,
                      int[] instanceOf, int[] piece1, int[] piece2) {
        double reach = 1.42 * p.scale;
        int x0 = Math.max(0, (int) Math.floor(p.x - reach));
        int x1 = Math.min(size - 1, (int) Math.ceil(p.x + reach));
        int y0 = Math.max(0, (int) Math.floor(p.y - reach));
        int y1 = Math.min(size - 1, (int) Math.ceil(p.y + reach));
        List<ObjectModel.Piece> pieces = p.model.pieces();
        int n = pieces.size();
        int objectLabel = ConceptVocabulary.first("object") + ConceptVocabulary.OBJECTS.indexOf(p.model.name());
        int[] partLabel = new int[n];
        for (int j = 0; j < n; j++) {
            String name = pieces.get(j).part();
            partLabel[j] = name == null ? 0 : ConceptVocabulary.number("part", name);
        }
        int textureLabel = p.texture < 0 ? 0 : ConceptVocabulary.first("texture") + p.texture;
        int inkRgb = NamedColour.rgb(p.ink);
        double period = Math.max(4.0, size / 16.0);
        double inv = 1.0 / p.scale;
        for (int py = y0; py <= y1; py++) {
            for (int px = x0; px <= x1; px++) {
                double dx = px + 0.5 - p.x;
                double dy = py + 0.5 - p.y;
                double u = (p.cos * dx + p.sin * dy) * inv;
                double v = (-p.sin * dx + p.cos * dy) * inv;
                if (p.flipped) {
                    u = -u;
                }
                int top1 = -1;
                int top2 = -1;
                for (int j = n - 1; j >= 0 && (top1 < 0 || top2 < 0); j--) {
                    ObjectModel.Piece piece = pieces.get(j);
                    if (piece.level() == 1 ? top1 >= 0 : top2 >= 0) {
                        continue;
                    }
                    if (piece.region().contains(u, v)) {
                        if (piece.level() == 1) {
                            top1 = j;
                        } else {
                            top2 = j;
                        }
                    }
                }
                if (top1 < 0 && top2 < 0) {
                    continue;
                }
                int i = py * size + px;
                int shown = top2 >= 0 ? top2 : top1;
                ObjectModel.Piece visible = pieces.get(shown);
                boolean textured = visible.paintable() && p.texture >= 0;
                boolean ink = textured && TexturePattern.ink(p.texture, u * p.scale, v * p.scale, period,
                        p.textureSeed);
                rgb[i] = ink ? inkRgb : p.pieceRgb[shown];
                colour[i] = ink ? p.ink : p.pieceColour[shown];
                object[i] = objectLabel;
                part[i] = top1 >= 0 ? partLabel[top1] : 0;
                subpart[i] = top2 >= 0 ? partLabel[top2] : 0;
                texture[i] = textured ? textureLabel : 0;
                instanceOf[i] = p.instance;
                piece1[i] = top1 >= 0 && partLabel[top1] != 0 ? p.instance * MAX_PIECES + top1 : -1;
                piece2[i] = top2 >= 0 ? p.instance * MAX_PIECES + top2 : -1;
            }
        }
    }
}
