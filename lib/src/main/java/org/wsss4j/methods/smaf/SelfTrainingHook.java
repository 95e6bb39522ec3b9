package org.wsss4j.methods.smaf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.wsss4j.cam.CamOps;
import org.wsss4j.train.LossHook;

/**
 * SMAF's self-training (methods.md §4.4) as a {@link LossHook}: the student's backbone and its new
 * {@link SegmentationHead} learn the "denoise and reactivate" target with
 * {@code lossWeight × MSE(softmax(head), target)}; there is no classification loss
 * ({@link #replacesClassificationLoss()} is true).
 *
 * <p><b>Where targets come from.</b> The paper fuses the teacher's maps offline, once per image,
 * and carries them through the same resize/flip/crop as the image. Here the teacher (a frozen copy
 * of the model before the round, see {@link Teacher}) fuses its maps on the fly, at every step, on
 * the very augmented batch the student sees: the target is aligned with the student's input by
 * construction whatever the augmentation does, nothing is cached or goes stale across rounds, and
 * the price is the teacher's forwards (scales × flips of them, no backward: its parameters take no
 * gradient). The target is detached.
 *
 * <p>The target is built at {@code targetScale ×} the student's token grid (the paper's ¼ crop
 * vs stride 8 is 2×); the student's logits are upsampled bilinearly to it before the softmax, as
 * in the paper.
 */
public final class SelfTrainingHook implements LossHook {
    private final MapSource teacher;
    private final SegmentationHead head;
    private final SmafConfig config;

    /**
     * @param teacher the frozen teacher's maps (see {@link Teacher}); not closed by the hook
     * @param head the student's head, trained by the loop that runs this hook
     */
    public SelfTrainingHook(MapSource teacher, SegmentationHead head, SmafConfig config) {
        this.teacher = teacher;
        this.head = head;
        this.config = config;
    }

    @Override
    public String name() {
        return "smaf";
    }

    @Override
    public Map<String, NDArray> parameters() {
        return head.parameters();
    }

    @Override
    public boolean replacesClassificationLoss() {
        return true;
    }

    public SmafConfig config() {
        return config;
    }

    public SegmentationHead head() {
        return head;
    }

    /** The teacher whose maps make the target. */
    public MapSource teacher() {
        return teacher;
    }

    @Override
    public void addTerms(Context ctx, Map<String, NDArray> terms) {
        int th = ctx.output().gridH() * config.targetScale();
        int tw = ctx.output().gridW() * config.targetScale();
        NDArray target = target(ctx.images(), ctx.labels(), th, tw);
        terms.put("mse", loss(head.logits(ctx.output()), target, config.lossWeight()));
    }

    /**
     * The teacher's target [B, C+1, height, width] for normalised images and multi-hot labels:
     * fused over the configured scales (and flips), then denoised and reactivated; detached.
     */
    public NDArray target(NDArray images, NDArray labels, int height, int width) {
        NDArray fused = ScaleFusion.fuse(teacher, images, config.scales(), config.flip(), height,
                width);
        return SmafTarget.build(fused, labels, config).stopGradient();
    }

    /**
     * {@code weight × mean((softmax_c(upsample(logits)) − target)²)} over every element, as
     * PyTorch's {@code MSELoss} with mean reduction.
     *
     * @param logits [B, C+1, gh, gw]
     * @param target [B, C+1, H, W]
     */
    public static NDArray loss(NDArray logits, NDArray target, double weight) {
        Shape ls = logits.getShape();
        Shape ts = target.getShape();
        if (ls.dimension() != 4 || ts.dimension() != 4 || ls.get(0) != ts.get(0)
                || ls.get(1) != ts.get(1)) {
            throw new IllegalArgumentException(
                    "logits " + ls + " and target " + ts + " must be [B, C+1, ·, ·] alike");
        }
        NDArray p = CamOps.resize(logits, (int) ts.get(2), (int) ts.get(3)).softmax(1);
        return p.sub(target).square().mean().mul((float) weight);
    }
}
