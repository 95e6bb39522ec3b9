package org.wsss4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitOutput;

/**
 * A method's way into training without touching the loop: it says what the forward must keep,
 * sees the batch and the output, may run extra forwards (a second view, no-grad passes), and adds
 * named, already weighted loss terms. A hook that adds no terms is an observer (statistics).
 */
public interface LossHook {
    /** Short name; term names are prefixed with it in logs. */
    String name();

    /** What the main forward must keep at this step (attention, logits, features). */
    default ForwardRequest request(long step) {
        return ForwardRequest.PLAIN;
    }

    /**
     * Parameters the hook owns (e.g. SMAF's new segmentation head), trained with the model by the
     * same optimiser; names must not clash with the model's. Created once, on the model's device.
     */
    default Map<String, NDArray> parameters() {
        return Map.of();
    }

    /** True when this hook's terms replace the classification loss (SMAF's self-training). */
    default boolean replacesClassificationLoss() {
        return false;
    }

    /**
     * Adds loss terms for this step into {@code terms}; every array must be a scalar created
     * from the context's tensors (so it lives in the step's scope).
     */
    void addTerms(Context ctx, Map<String, NDArray> terms);

    /**
     * What a hook sees.
     *
     * @param images the batch pixels [B, 3, H, W] (normalised), e.g. for PAR
     * @param labels multi-hot [B, C]
     * @param output the main forward of this step
     * @param seed the run's seed, for any draw (with step)
     * @param manager the step's manager: anything created here is freed with the step
     * @param metrics observed values to log with the step (not added to the loss), e.g. attention
     *     statistics; saved in the checkpoint's history under "hook.name"
     * @param stochasticDepth whether {@code output} was drawn with stochastic depth; when false it
     *     equals an inference forward of {@code images}, and a hook may reuse it instead of
     *     running one
     */
    record Context(
            VisionTransformer model,
            NDArray images,
            NDArray labels,
            VitOutput output,
            long step,
            long seed,
            NDManager manager,
            Map<String, Double> metrics,
            boolean stochasticDepth) {

        /** A context whose output came from a forward without stochastic depth. */
        public Context(VisionTransformer model, NDArray images, NDArray labels, VitOutput output,
                long step, long seed, NDManager manager, Map<String, Double> metrics) {
            this(model, images, labels, output, step, seed, manager, metrics, false);
        }
    }
}
