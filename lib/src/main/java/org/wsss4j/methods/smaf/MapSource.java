package org.wsss4j.methods.smaf;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.wsss4j.cam.CamConfig;
import org.wsss4j.cam.CamKind;
import org.wsss4j.cam.ClassActivation;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;

/**
 * Where one pass's class-aware maps come from: the fusion resizes the input, asks for the maps
 * on the token grid, upsamples, normalises each pass as {@link #passNorm()} says and sums.
 */
public interface MapSource {
    /** How a pass is normalised (after upsampling) before the passes are summed. */
    enum PassNorm {
        /**
         * Min–max per class: for CAMs, whose scale differs from pass to pass (the shared base has
         * no softmax channel to put every pass on one scale; methods.md Part 1).
         */
        MIN_MAX,
        /** None: the maps are already softmax probabilities (EPS, or SMAF's trained head). */
        NONE
    }

    /**
     * Maps of one pass, [B, C, gh, gw], non-negative, for normalised images [B, 3, h, w] whose
     * sides are multiples of {@link #patchSize()}. Created in the images' manager.
     */
    NDArray gridMaps(NDArray images);

    PassNorm passNorm();

    /** The model's patch size: scaled inputs are rounded to multiples of it. */
    int patchSize();

    /**
     * The baseline CAM (or another {@link CamKind}) of {@code model} as it is now, ReLU, one
     * forward per pass. The model is used live, not copied: for scoring maps outside training.
     */
    static MapSource cam(VisionTransformer model, CamKind kind, int lastBlocks) {
        CamConfig cfg = new CamConfig(kind, lastBlocks, List.of(1.0), false);
        return new MapSource() {
            @Override
            public NDArray gridMaps(NDArray images) {
                return ClassActivation.gridMap(
                                model, model.forward(images, ForwardRequest.ATTENTION), cfg)
                        .maximum(0f);
            }

            @Override
            public PassNorm passNorm() {
                return PassNorm.MIN_MAX;
            }

            @Override
            public int patchSize() {
                return model.config().patchSize();
            }
        };
    }
}
