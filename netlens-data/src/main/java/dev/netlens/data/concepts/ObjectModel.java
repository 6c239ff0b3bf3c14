package dev.netlens.data.concepts;

import static dev.netlens.data.concepts.NamedColour.BLACK;
import static dev.netlens.data.concepts.NamedColour.BLUE;
import static dev.netlens.data.concepts.NamedColour.BROWN;
import static dev.netlens.data.concepts.NamedColour.GREEN;
import static dev.netlens.data.concepts.NamedColour.GREY;
import static dev.netlens.data.concepts.NamedColour.ORANGE;
import static dev.netlens.data.concepts.NamedColour.PINK;
import static dev.netlens.data.concepts.NamedColour.PURPLE;
import static dev.netlens.data.concepts.NamedColour.RED;
import static dev.netlens.data.concepts.NamedColour.WHITE;
import static dev.netlens.data.concepts.NamedColour.YELLOW;
import static dev.netlens.data.concepts.Region.circle;
import static dev.netlens.data.concepts.Region.ellipse;
import static dev.netlens.data.concepts.Region.polygon;
import static dev.netlens.data.concepts.Region.rect;

import java.util.ArrayList;
import java.util.List;

/**
 * The drawing of one object class in its local frame: pieces drawn in order (later ones on top).
 * A piece is one part instance (two windows are two pieces) or, for simple shapes, the unnamed
 * whole. Level-1 pieces are the object's parts; level-2 pieces are sub-parts drawn on a level-1 part
 * (windows on a wall, eyes on a head), written to a second part plane as Broden does with its part
 * levels. Paintable pieces take the instance's colour and texture; the others take a
 * characteristic colour from their list.
 *
 * @param name the object name (see {@link ConceptVocabulary#OBJECTS})
 * @param upright whether the object has an up direction (rotated by at most ±25°) or may turn freely
 * @param paintColours the colours its paintable pieces may take
 * @param pieces the pieces in drawing order
 */
record ObjectModel(String name, boolean upright, int[] paintColours, List<Piece> pieces) {
    /**
     * One part instance.
     *
     * @param part the part name, or null for a simple shape's body
     * @param level 1 for parts, 2 for sub-parts drawn on a part
     * @param paintable whether it takes the instance colour and texture
     * @param colours the colours it may take when not paintable
     * @param region its shape in the local frame
     * @param cu its centre (the landmark), local u
     * @param cv its centre, local v
     */
    record Piece(String part, int level, boolean paintable, int[] colours, Region region, double cu, double cv) {
    }

    private static final int[] ANY = {BLACK, BLUE, BROWN, GREEN, GREY, ORANGE, PINK, PURPLE, RED, WHITE, YELLOW};

    /** The twelve object classes, in {@link ConceptVocabulary#OBJECTS} order. */
    static final List<ObjectModel> ALL = List.of(
            simple("circle", circle(0, 0, 0.9)),
            simple("square", rect(-0.78, -0.78, 0.78, 0.78)),
            simple("triangle", polygon(0, -0.92, 0.95, 0.72, -0.95, 0.72)),
            simple("star", Region.star(5, 0.42, 0.98)),
            simple("ring", Region.annulus(0, 0, 0.5, 0.92)),
            simple("cross", polygon(-0.3, -0.92, 0.3, -0.92, 0.3, -0.3, 0.92, -0.3, 0.92, 0.3, 0.3, 0.3, 0.3, 0.92,
                    -0.3, 0.92, -0.3, 0.3, -0.92, 0.3, -0.92, -0.3, -0.3, -0.3)),
            house(), car(), face(), tree(), flower(), person());

    private static ObjectModel simple(String name, Region region) {
        return new ObjectModel(name, false, ANY, List.of(new Piece(null, 1, true, ANY, region, 0, 0)));
    }

    private static Piece paint(String part, Region r, double cu, double cv) {
        return new Piece(part, 1, true, ANY, r, cu, cv);
    }

    private static Piece fixed(String part, int level, int[] colours, Region r, double cu, double cv) {
        return new Piece(part, level, false, colours, r, cu, cv);
    }

    private static ObjectModel house() {
        List<Piece> p = new ArrayList<>();
        p.add(paint("wall", rect(-0.7, -0.12, 0.7, 0.92), 0, 0.4));
        p.add(fixed("roof", 1, new int[] {RED, BROWN, GREY, BLACK}, polygon(-0.9, -0.1, 0.9, -0.1, 0, -0.9), 0,
                -0.37));
        p.add(fixed("door", 2, new int[] {BROWN, BLACK, RED, BLUE}, rect(-0.16, 0.42, 0.16, 0.92), 0, 0.67));
        int[] glass = {BLUE, WHITE, YELLOW, BLACK};
        p.add(fixed("window", 2, glass, rect(-0.56, 0.05, -0.28, 0.33), -0.42, 0.19));
        p.add(fixed("window", 2, glass, rect(0.28, 0.05, 0.56, 0.33), 0.42, 0.19));
        return new ObjectModel("house", true, ANY, p);
    }

    private static ObjectModel car() {
        List<Piece> p = new ArrayList<>();
        Region body = Region.union(rect(-0.95, -0.08, 0.95, 0.42),
                polygon(-0.55, -0.5, 0.35, -0.5, 0.62, -0.08, -0.72, -0.08));
        p.add(paint("body", body, 0, 0.05));
        int[] tyre = {BLACK, GREY};
        p.add(fixed("wheel", 1, tyre, circle(-0.55, 0.45, 0.26), -0.55, 0.45));
        p.add(fixed("wheel", 1, tyre, circle(0.55, 0.45, 0.26), 0.55, 0.45));
        int[] glass = {WHITE, BLUE, GREY};
        p.add(fixed("window", 2, glass, polygon(-0.47, -0.42, -0.07, -0.42, -0.07, -0.14, -0.6, -0.14), -0.3,
                -0.28));
        p.add(fixed("window", 2, glass, polygon(0.03, -0.42, 0.3, -0.42, 0.5, -0.14, 0.03, -0.14), 0.22, -0.28));
        return new ObjectModel("car", true, ANY, p);
    }

    private static ObjectModel face() {
        List<Piece> p = new ArrayList<>();
        p.add(new Piece("head", 1, true, null, ellipse(0, 0, 0.78, 0.95, 0), 0, 0));
        int[] eye = {BLACK, BLUE, BROWN, GREEN};
        p.add(fixed("eye", 2, eye, ellipse(-0.3, -0.25, 0.15, 0.11, 0), -0.3, -0.25));
        p.add(fixed("eye", 2, eye, ellipse(0.3, -0.25, 0.15, 0.11, 0), 0.3, -0.25));
        p.add(fixed("nose", 2, new int[] {RED, ORANGE, BROWN, PINK}, polygon(0, -0.1, 0.13, 0.2, -0.13, 0.2), 0,
                0.1));
        p.add(fixed("mouth", 2, new int[] {RED, BLACK, PURPLE, PINK}, ellipse(0, 0.52, 0.36, 0.11, 0), 0, 0.52));
        return new ObjectModel("face", true, new int[] {YELLOW, PINK, ORANGE, BROWN, WHITE, GREEN}, p);
    }

    private static ObjectModel tree() {
        List<Piece> p = new ArrayList<>();
        p.add(fixed("trunk", 1, new int[] {BROWN, BLACK, GREY}, rect(-0.15, 0.1, 0.15, 0.95), 0, 0.55));
        p.add(new Piece("crown", 1, true, null, ellipse(0, -0.3, 0.75, 0.65, 0), 0, -0.3));
        return new ObjectModel("tree", true, new int[] {GREEN, ORANGE, YELLOW, RED, BROWN}, p);
    }

    private static ObjectModel flower() {
        List<Piece> p = new ArrayList<>();
        p.add(fixed("stem", 1, new int[] {GREEN}, Region.union(rect(-0.06, 0.0, 0.06, 0.95),
                ellipse(0.2, 0.55, 0.2, 0.08, -30)), 0, 0.5));
        double cu = 0;
        double cv = -0.3;
        for (int k = 0; k < 6; k++) {
            double a = Math.PI * 2 * k / 6 - Math.PI / 2;
            double pu = cu + 0.38 * StrictMath.cos(a);
            double pv = cv + 0.38 * StrictMath.sin(a);
            p.add(new Piece("petal", 1, true, null, ellipse(pu, pv, 0.3, 0.16, Math.toDegrees(a)), pu, pv));
        }
        p.add(fixed("centre", 1, new int[] {YELLOW, ORANGE, BROWN, BLACK}, circle(cu, cv, 0.19), cu, cv));
        return new ObjectModel("flower", true, new int[] {RED, PINK, PURPLE, WHITE, YELLOW, ORANGE, BLUE}, p);
    }

    private static ObjectModel person() {
        List<Piece> p = new ArrayList<>();
        int[] trousers = {BLUE, BLACK, GREY, BROWN};
        p.add(fixed("leg", 1, trousers, rect(-0.26, 0.2, -0.05, 0.95), -0.155, 0.575));
        p.add(fixed("leg", 1, trousers, rect(0.05, 0.2, 0.26, 0.95), 0.155, 0.575));
        p.add(paint("arm", polygon(-0.3, -0.48, -0.17, -0.4, -0.42, 0.12, -0.55, 0.06), -0.36, -0.18));
        p.add(paint("arm", polygon(0.3, -0.48, 0.17, -0.4, 0.42, 0.12, 0.55, 0.06), 0.36, -0.18));
        p.add(paint("torso", polygon(-0.3, -0.5, 0.3, -0.5, 0.27, 0.22, -0.27, 0.22), 0, -0.14));
        p.add(fixed("head", 1, new int[] {PINK, BROWN, ORANGE, YELLOW}, circle(0, -0.73, 0.22), 0, -0.73));
        return new ObjectModel("person", true, ANY, p);
    }

    /** The model of object class {@code index} ({@link ConceptVocabulary#OBJECTS} order). */
    static ObjectModel of(int index) {
        return ALL.get(index);
    }
}
