package org.wsss4j.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The 20 classes of the synthetic benchmark and what identifies each. A class is its
 * discriminative part: a saturated hue (10 hues, 36° apart) and a pattern (a solid disc for labels
 * 1–10, a striped square for 11–20). Its body family is drawn per object by default (see
 * GeneratorConfig#classLinkedBodies), so the body alone never tells the class. Labels are 1-based as in the masks.
 */
public final class SyntheticClasses {
    /** Body families available (oval, box, wedge, blob, diamond). */
    public static final int FAMILIES = 5;

    /** Classes that can carry a class-correlated background (the first ones). */
    public static final int CONTEXTS = 8;

    private static final String[] HUES = {
        "red", "orange", "yellow", "lime", "green", "cyan", "azure", "blue", "violet", "magenta"
    };
    private static final String[] FAMILY_NAMES = {"oval", "box", "wedge", "blob", "diamond"};

    /** background, then red-disc … magenta-disc, red-stripes … magenta-stripes. */
    public static final ClassList CLASS_LIST = new ClassList("synthetic", names());

    private SyntheticClasses() {}

    private static List<String> names() {
        List<String> n = new ArrayList<>();
        n.add("background");
        for (int k = 0; k < GeneratorConfig.NUM_CLASSES; k++) {
            n.add(HUES[k % 10] + (k < 10 ? "-disc" : "-stripes"));
        }
        return n;
    }

    /** Hue of the part in degrees (0..324). */
    public static int partHue(int label) {
        return ((label - 1) % 10) * 36;
    }

    /** Labels 11–20 have a striped square part; 1–10 a solid disc. */
    public static boolean striped(int label) {
        return label > 10;
    }

    /**
     * Body family of a class. The mapping mixes hue and pattern so that each family holds four
     * classes of different hues, and the partners of {@link #partner} sit in different families.
     */
    public static int family(int label, int families) {
        int k = label - 1;
        return ((k + k / 10) % FAMILIES) % families;
    }

    public static String familyName(int family) {
        return FAMILY_NAMES[family];
    }

    /** The class that co-occurs with {@code label} (1↔2, 3↔4, …), or 0 when it has none. */
    public static int partner(int label, int pairs) {
        int k = label - 1;
        return k / 2 < pairs ? (k ^ 1) + 1 : 0;
    }

    /** Side an asymmetric object's part prefers: -1 left (odd labels), +1 right (even labels). */
    public static int preferredSide(int label) {
        return (label - 1) % 2 == 0 ? -1 : 1;
    }

    /** Whether a class has a correlated background under {@code contextClasses}. */
    public static boolean hasContext(int label, int contextClasses) {
        return label - 1 < contextClasses;
    }

    /** Where the context region lies: 0 bottom band, 1 top band, 2 the whole background. */
    public static int contextRegion(int label) {
        return (label - 1) % 3;
    }

    /** Whether the context region carries wavy lines as well as the tint. */
    public static boolean contextLines(int label) {
        return ((label - 1) / 3) % 2 == 0;
    }
}
