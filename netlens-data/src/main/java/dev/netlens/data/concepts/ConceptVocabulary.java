package dev.netlens.data.concepts;

import java.util.ArrayList;
import java.util.List;

/**
 * The concepts of netlens' synthetic concept scenes and their Broden label numbers. Categories, in
 * {@code category.csv} order: {@code color} (the 11 Broden colour names; every pixel has one),
 * {@code object} (6 simple shapes and 6 composite objects), {@code part} (the parts of the composite
 * objects), {@code texture} (8 surface patterns, as pixel masks where painted) and {@code scene}
 * (6 backgrounds, as image-level labels). Label numbers run from 1 in that order, so colour names get
 * 1–11 as in Broden.
 */
public final class ConceptVocabulary {
    /** The category names, in file and label-number order. */
    public static final List<String> CATEGORIES = List.of("color", "object", "part", "texture", "scene");
    /** Broden's 11 colour names. */
    public static final List<String> COLOURS = List.of("black", "blue", "brown", "green", "grey", "orange", "pink",
            "purple", "red", "white", "yellow");
    /** Objects: six simple shapes, then six objects made of parts. */
    public static final List<String> OBJECTS = List.of("circle", "square", "triangle", "star", "ring", "cross",
            "house", "car", "face", "tree", "flower", "person");
    /** Parts of the composite objects (a name shared by two objects is one concept, as in Broden). */
    public static final List<String> PARTS = List.of("roof", "wall", "door", "window", "body", "wheel", "head",
            "eye", "nose", "mouth", "trunk", "crown", "petal", "centre", "stem", "torso", "arm", "leg");
    /** Surface textures painted on objects. */
    public static final List<String> TEXTURES = List.of("striped", "dotted", "chequered", "zigzagged", "grid", "wavy",
            "crosshatched", "blotchy");
    /** Backgrounds, labelled at image level. */
    public static final List<String> SCENES = List.of("sky", "grass", "sand", "water", "brick wall",
            "wooden floor");

    private ConceptVocabulary() {
    }

    /** The names of a category's labels, in code order. */
    public static List<String> names(String category) {
        return switch (category) {
            case "color" -> COLOURS;
            case "object" -> OBJECTS;
            case "part" -> PARTS;
            case "texture" -> TEXTURES;
            case "scene" -> SCENES;
            default -> throw new IllegalArgumentException("no concept category '" + category + "'; categories: "
                    + CATEGORIES);
        };
    }

    /** The global label number of the first label of a category. */
    public static int first(String category) {
        int n = 1;
        for (String c : CATEGORIES) {
            if (c.equals(category)) {
                return n;
            }
            n += names(c).size();
        }
        throw new IllegalArgumentException("no concept category '" + category + "'; categories: " + CATEGORIES);
    }

    /** The global label number of a concept. */
    public static int number(String category, String name) {
        int i = names(category).indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no " + category + " concept '" + name + "'; " + category + " concepts: "
                    + names(category));
        }
        return first(category) + i;
    }

    /** Total number of labels (the largest label number). */
    public static int labelCount() {
        int n = 0;
        for (String c : CATEGORIES) {
            n += names(c).size();
        }
        return n;
    }

    /** Every label as (category, name), in label-number order. */
    static List<String[]> all() {
        List<String[]> out = new ArrayList<>();
        for (String c : CATEGORIES) {
            for (String name : names(c)) {
                out.add(new String[] {c, name});
            }
        }
        return out;
    }
}
