package org.wsss4j.cam;

import java.util.List;

/**
 * How maps are inferred.
 *
 * @param kind which map (the baseline CAM by default)
 * @param lastBlocks the "last n of 12" blocks whose class-to-patch attention is averaged (3)
 * @param scales input scales; each map is upsampled to the input size and summed
 * @param flip add the un-flipped map of the flipped input
 */
public record CamConfig(CamKind kind, int lastBlocks, List<Double> scales, boolean flip) {
    /** methods.md Part 1: baseline CAM, last 3 of 12 blocks, scale 1 + flip. */
    public static final CamConfig BASELINE = new CamConfig(CamKind.BASELINE, 3, List.of(1.0), true);

    public CamConfig withKind(CamKind k) {
        return new CamConfig(k, lastBlocks, scales, flip);
    }

    public CamConfig withScales(List<Double> s) {
        return new CamConfig(kind, lastBlocks, s, flip);
    }

    public CamConfig withFlip(boolean f) {
        return new CamConfig(kind, lastBlocks, scales, f);
    }
}
