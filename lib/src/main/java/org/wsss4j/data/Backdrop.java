package org.wsss4j.data;

/**
 * Codes of the synthetic benchmark's {@code SegmentationBackdrop/<id>.png}: what the background
 * shows at each pixel, so that a map's false positives can be charged to the designed
 * distraction they fall on (data-scripts/README-synthetic.md). Layers are drawn in this order and
 * a later one hides an earlier one: context region, clutter, part-like distractors, decoy bodies.
 * Objects are drawn last and marked {@link #OBJECT}.
 */
public final class Backdrop {
    /** Plain background gradient (with pixel noise only). */
    public static final byte PLAIN = 0;
    /** Textured clutter shape. */
    public static final byte CLUTTER = 1;
    /** Part-like distractor (a part's hue at a lower saturation). */
    public static final byte DISTRACTOR = 2;
    /** Decoy body: an object body without a part, labelled background. */
    public static final byte DECOY = 3;
    /** The context region of class c is coded {@code CONTEXT_BASE + c}. */
    public static final int CONTEXT_BASE = 10;
    /** An object pixel (not background). */
    public static final int OBJECT = 255;

    private Backdrop() {}

    /** Code of the context region of class {@code label} (1..20). */
    public static int context(int label) {
        if (label < 1 || label > GeneratorConfig.NUM_CLASSES) {
            throw new IllegalArgumentException("context label " + label + " must be in 1.."
                    + GeneratorConfig.NUM_CLASSES);
        }
        return CONTEXT_BASE + label;
    }

    /** The class whose context region code {@code code} is, or 0 when it is no context region. */
    public static int contextClass(int code) {
        int c = code - CONTEXT_BASE;
        return c >= 1 && c <= GeneratorConfig.NUM_CLASSES ? c : 0;
    }
}
