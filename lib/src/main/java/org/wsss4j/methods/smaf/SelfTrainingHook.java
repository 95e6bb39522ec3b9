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
 * <p><b>Where targets come from.</b> The teacher's fused maps for each step come from a {@link
 * FusedMaps}: fused once per training image and warped to each sample ({@link OfflineTeacher},
 * as the paper; round 1 of the experiment) or fused on the step's augmented batch ({@link
 * OnlineTeacher}; round 2, whose teacher is round 1's student). The hook turns them into the
 * target the same way for both; a source that fuses otherwise than the hook's configuration is
 * refused when the hook is built. The target is detached; the teacher's parameters take no
 * gradient.
 *
 * <p>The target is built at {@code targetScale ×} the student's token grid (the paper's ¼ crop
 * vs stride 8 is 2×); the student's logits are upsampled bilinearly to it before the softmax, as
 * in the paper.
 */
public final class SelfTrainingHook implements LossHook {
    private final FusedMaps maps;
    private final SegmentationHead head;
    private final SmafConfig config;

    /**
     * A hook whose teacher is fused on each step's batch ({@link OnlineTeacher}, {@link
     * Teacher#CHUNK} images per forward).
     *
     * @param teacher the frozen teacher's maps (see {@link Teacher}); not closed by the hook
     * @param head the student's head, trained by the loop that runs this hook
     */
    public SelfTrainingHook(MapSource teacher, SegmentationHead head, SmafConfig config) {
        this(new OnlineTeacher(teacher, config), head, config);
    }

    /**
     * @param maps the teacher's fused maps by step; for an {@link OfflineTeacher}, the training
     *     run must use that teacher's batch order
     * @param head the student's head, trained by the loop that runs this hook
     * @throws IllegalArgumentException if {@code maps} are not fused as {@code config} says
     */
    public SelfTrainingHook(FusedMaps maps, SegmentationHead head, SmafConfig config) {
        maps.check(config);
        this.maps = maps;
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

    /** Where the teacher's fused maps come from. */
    public FusedMaps maps() {
        return maps;
    }

    @Override
    public void addTerms(Context ctx, Map<String, NDArray> terms) {
        int th = ctx.output().gridH() * config.targetScale();
        int tw = ctx.output().gridW() * config.targetScale();
        NDArray fused = maps.forStep(ctx.step(), ctx.images(), th, tw, ctx.manager());
        NDArray target = SmafTarget.build(fused, ctx.labels(), config).stopGradient();
        terms.put("mse", loss(head.logits(ctx.output()), target, config.lossWeight()));
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
        return org.wsss4j.model.Scalars.mul(p.sub(target).square().mean(), weight); // autograd-safe scale
    }
}
