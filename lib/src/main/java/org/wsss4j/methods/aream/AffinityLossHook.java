package org.wsss4j.methods.aream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VitOutput;
import org.wsss4j.train.LossHook;

/**
 * AReAM in training (methods.md §1.3 a–e): from {@code startStep} on, builds the affinity label of
 * the batch without gradient (shallow-refined CAM → dual-threshold PAR label → token-pair label)
 * and adds {@code lossWeight · L_aff} on the deep blocks' pre-softmax attention. Before
 * {@code startStep} it adds nothing, so the shared warm-up is the baseline recipe.
 */
public final class AffinityLossHook implements LossHook {
    /** Term name in step logs ({@code aream.aff}). */
    public static final String TERM = "aff";

    /**
     * What one step's label looked like: shares of token pairs that are positive, negative and
     * ignored, and the share of pixels marked 255 in the pseudo segmentation.
     */
    public record TargetStats(
            long step, double positive, double negative, double ignored, double ignoredPixels) {}

    private final AreamConfig config;
    private final List<TargetStats> targets = new ArrayList<>();

    public AffinityLossHook(AreamConfig config) {
        this.config = config;
    }

    public AreamConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "aream";
    }

    @Override
    public ForwardRequest request(long step) {
        // Post-softmax attention too: without stochastic depth the pseudo-label CAM reuses this
        // pass for the unflipped images instead of running it again.
        return step >= config.startStep()
                ? new ForwardRequest(true, true, false)
                : ForwardRequest.PLAIN;
    }

    @Override
    public void addTerms(Context ctx, Map<String, NDArray> terms) {
        if (ctx.step() < config.startStep() || config.lossWeight() == 0) {
            return;
        }
        int depth = ctx.model().config().depth();
        NDArray label = target(ctx);
        NDArray loss = AffinityLoss.overBlocks(ctx.output().attentionLogits(),
                config.deepBlocks(depth), config.deepWeights(depth),
                ctx.output().numClassTokens(), label);
        terms.put(TERM, AffinityLoss.scale(loss, config.lossWeight()));
    }

    /** The batch's affinity label [B, hw, hw], built without gradient. */
    private NDArray target(Context ctx) {
        try (NoGrad ignored = new NoGrad()) {
            VitOutput reuse = !ctx.stochasticDepth() && !ctx.output().attention().isEmpty()
                    ? ctx.output()
                    : null;
            NDArray cam = RefinedCam.training(ctx.model(), ctx.images(), ctx.labels(), config,
                    reuse);
            NDArray seg = PseudoSegmentation.dual(ctx.images(), ctx.labels(), cam, config);
            NDArray label = AffinityLabels.fromSegmentation(seg, ctx.output().gridH(),
                    ctx.output().gridW());
            TargetStats st = new TargetStats(ctx.step(), share(label.eq(1f)),
                    share(label.eq(0f)), share(label.eq(255f)), share(seg.eq(255)));
            targets.add(st);
            ctx.metrics().put("pairsPositive", st.positive());
            ctx.metrics().put("pairsNegative", st.negative());
            ctx.metrics().put("pairsIgnored", st.ignored());
            ctx.metrics().put("pixelsIgnored", st.ignoredPixels());
            return label;
        }
    }

    private static double share(NDArray mask) {
        return mask.toType(DataType.FLOAT32, false).mean().getFloat();
    }

    /** Per-step label statistics of every step the loss was on. */
    public List<TargetStats> targetStats() {
        return Collections.unmodifiableList(targets);
    }
}
