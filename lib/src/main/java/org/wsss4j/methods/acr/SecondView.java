package org.wsss4j.methods.acr;

/** How ACR's second view is made from the batch. */
public enum SecondView {
    /** The official code: the exact horizontal flip of view 1; its maps are un-flipped. */
    FLIP,
    /**
     * The paper's wording ("two augmented views") read as a photometric change only: the token
     * grids are aligned, so nothing is un-flipped.
     */
    PHOTOMETRIC,
    /** Both: the flipped image, photometrically jittered; its maps are un-flipped. */
    FLIP_PHOTOMETRIC;

    /** True when the second view's token grid must be un-flipped before comparing. */
    public boolean flipped() {
        return this != PHOTOMETRIC;
    }

    /** True when the second view is jittered. */
    public boolean photometric() {
        return this != FLIP;
    }
}
