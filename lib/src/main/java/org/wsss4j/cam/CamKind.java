package org.wsss4j.cam;

/** Which map a CAM row uses (methods.md Part 1). */
public enum CamKind {
    /**
     * The baseline CAM of every table: ReLU(PatchCAM) ⊙ class-to-patch attention (post-softmax,
     * head mean, mean of the last 3 of 12 blocks, resolved for the depth) — MCTformer-V2's fused
     * map without patch-affinity refinement.
     */
    BASELINE,
    /** The PatchCAM head's map alone (ReLU). */
    PATCH_CAM,
    /** Class-to-patch attention alone (same blocks as BASELINE). */
    CLASS_ATTENTION
}
