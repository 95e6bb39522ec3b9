package org.wsss4j.methods.acr;

import java.util.List;

/**
 * ACR's class-wise localisation from class-token gradients (methods.md §2.4). Defaults are the
 * official script's: gradients of the blocks from layer 10 of 12 (resolved for the depth with
 * {@code LayerPositions.from}), option {@code grad}, no affinity refinement, one scale plus flip.
 *
 * @param startLayer first 12-block layer whose attention gradient is summed (10)
 * @param mode what is taken of the gradient G (and attention A) per head
 * @param affinity multiply the class map by the summed patch-to-patch attention of all blocks
 *     ({@code --aff True}): m ← (Σ_l Ā_l[patches, patches]) · m
 * @param scales input scales (each map upsampled to the input size and summed)
 * @param flip add the un-flipped map of the flipped input
 * @param pairsPerPass (image, class) pairs per forward/backward: bounds memory, not results
 */
public record LocalisationConfig(
        int startLayer,
        GradientMode mode,
        boolean affinity,
        List<Double> scales,
        boolean flip,
        int pairsPerPass) {

    /** What one head contributes before the head mean. */
    public enum GradientMode {
        /** max(G, 0): the official script's option {@code grad}. */
        GRAD,
        /**
         * max(G ⊙ A, 0): the {@code cam_grad} option read as in ACR's GETAM lineage (gradient
         * times attention, then the positive part); UNVERIFIED against the ACR release.
         */
        GRAD_TIMES_ATTENTION
    }

    /** The official configuration (start layer 10, {@code grad}, no affinity, scale 1 + flip). */
    public static final LocalisationConfig PAPER =
            new LocalisationConfig(10, GradientMode.GRAD, false, List.of(1.0), true, 16);

    public LocalisationConfig {
        if (startLayer < 0 || startLayer > 11) {
            throw new IllegalArgumentException(
                    "startLayer is a 12-block index 0..11, got " + startLayer);
        }
        if (mode == null || scales == null || scales.isEmpty()) {
            throw new IllegalArgumentException("mode and at least one scale must be set");
        }
        for (double s : scales) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("scales must be > 0, got " + scales);
            }
        }
        if (pairsPerPass < 1) {
            throw new IllegalArgumentException("pairsPerPass must be >= 1, got " + pairsPerPass);
        }
        scales = List.copyOf(scales);
    }

    public LocalisationConfig withAffinity(boolean on) {
        return new LocalisationConfig(startLayer, mode, on, scales, flip, pairsPerPass);
    }

    public LocalisationConfig withMode(GradientMode m) {
        return new LocalisationConfig(startLayer, m, affinity, scales, flip, pairsPerPass);
    }

    public LocalisationConfig withScales(List<Double> s) {
        return new LocalisationConfig(startLayer, mode, affinity, s, flip, pairsPerPass);
    }

    public LocalisationConfig withFlip(boolean f) {
        return new LocalisationConfig(startLayer, mode, affinity, scales, f, pairsPerPass);
    }

    public LocalisationConfig withPairsPerPass(int n) {
        return new LocalisationConfig(startLayer, mode, affinity, scales, flip, n);
    }
}
