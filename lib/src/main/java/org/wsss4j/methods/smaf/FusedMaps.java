package org.wsss4j.methods.smaf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Where a {@link SelfTrainingHook} gets the teacher's fused maps for the step it trains: the hook
 * builds the same target from them whatever their origin, so it does not need to know whether
 * they were fused once per image ({@link OfflineTeacher}) or on the step's batch ({@link
 * OnlineTeacher}).
 */
public interface FusedMaps {
    /**
     * The teacher's fused maps [B, C, height, width] in [0, 1] for the samples of {@code step},
     * detached. Created in {@code manager} or in the images' manager: either is freed with the
     * step.
     *
     * @param step the training step (which samples and augmentation draws the batch holds)
     * @param images the step's normalised, augmented images [B, 3, H, W]
     * @param height the target's height
     * @param width the target's width
     * @param manager the step's manager
     */
    NDArray forStep(long step, NDArray images, int height, int width, NDManager manager);

    /**
     * Fails with an {@link IllegalArgumentException} unless these maps are fused as {@code cfg}
     * says (its scales and flip, and the target scale where the maps are made ahead of the
     * step): a hook refuses a source whose maps do not match its configuration.
     */
    void check(SmafConfig cfg);
}
