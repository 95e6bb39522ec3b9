package org.wsss4j.methods.smaf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
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
 * <p><b>Where targets come from.</b> Two ways, the same target up to where the fusion happens:
 * <ul>
 *   <li><em>offline</em> ({@link OfflineTeacher}), as the paper: the teacher fuses its maps once
 *       per training image, un-augmented, and each sample's maps follow its image through the
 *       resize, crop and flip. The teacher's cost is one pass over the data set, whatever the
 *       number of steps; what it sees lacks the colour jitter (which moves no pixel).
 *   <li><em>online</em>: the teacher (a frozen copy of the model before the round, see {@link
 *       Teacher}) fuses its maps at every step on the very augmented batch the student sees, at
 *       the price of the teacher's forwards (scales × flips) on every sample of every step. Rows
 *       that share batches and teacher can share that work through a {@link TeacherCache}; round
 *       2 (whose teacher is round 1's student) uses this way.
 * </ul>
 * The target is detached; the teacher's parameters take no gradient.
 *
 * <p>The target is built at {@code targetScale ×} the student's token grid (the paper's ¼ crop
 * vs stride 8 is 2×); the student's logits are upsampled bilinearly to it before the softmax, as
 * in the paper.
 */
public final class SelfTrainingHook implements LossHook {
    private final MapSource teacher;
    private final SegmentationHead head;
    private final SmafConfig config;
    private final int teacherChunk;
    private final TeacherCache cache;
    private final OfflineTeacher offline;

    /** Default number of images per teacher forward: bounds the teacher's memory. */
    public static final int TEACHER_CHUNK = 16;

    /**
     * @param teacher the frozen teacher's maps (see {@link Teacher}); not closed by the hook
     * @param head the student's head, trained by the loop that runs this hook
     */
    public SelfTrainingHook(MapSource teacher, SegmentationHead head, SmafConfig config) {
        this(teacher, head, config, TEACHER_CHUNK);
    }

    /**
     * @param teacherChunk images per teacher forward (the target is per image, so chunking
     *     changes nothing but peak memory)
     */
    public SelfTrainingHook(
            MapSource teacher, SegmentationHead head, SmafConfig config, int teacherChunk) {
        this(teacher, head, config, teacherChunk, null);
    }

    /**
     * @param cache the teacher's fused maps by step, shared with rows that see the same batches
     *     and teacher (null: none); must have been made for this teacher and fusion
     */
    public SelfTrainingHook(MapSource teacher, SegmentationHead head, SmafConfig config,
            int teacherChunk, TeacherCache cache) {
        if (teacherChunk < 1) {
            throw new IllegalArgumentException("teacherChunk must be >= 1, got " + teacherChunk);
        }
        this.offline = null;
        this.teacher = teacher;
        this.head = head;
        this.config = config;
        this.teacherChunk = teacherChunk;
        this.cache = cache;
        if (cache != null) {
            cache.check(teacher, config);
        }
    }

    /**
     * A hook whose targets come from maps fused once per image ({@code offline}); the training
     * run must use that teacher's batch order.
     */
    public SelfTrainingHook(OfflineTeacher offline, SegmentationHead head, SmafConfig config) {
        offline.check(config);
        this.offline = offline;
        this.teacher = null;
        this.head = head;
        this.config = config;
        this.teacherChunk = TEACHER_CHUNK;
        this.cache = null;
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

    /** The teacher whose maps make the target; null for an offline teacher. */
    public MapSource teacher() {
        return teacher;
    }

    @Override
    public void addTerms(Context ctx, Map<String, NDArray> terms) {
        int th = ctx.output().gridH() * config.targetScale();
        int tw = ctx.output().gridW() * config.targetScale();
        NDArray fused;
        if (offline != null) {
            fused = offline.fused(ctx.step(), th, tw, ctx.manager());
            if (fused.getShape().get(0) != ctx.images().getShape().get(0)) {
                throw new IllegalStateException("offline teacher: step " + ctx.step() + " has "
                        + fused.getShape().get(0) + " samples in the teacher's batch order, "
                        + ctx.images().getShape().get(0) + " in the training batch");
            }
        } else if (cache == null) {
            fused = fused(ctx.images(), th, tw);
        } else {
            fused = cache.get(ctx.step(), ctx.manager(), () -> fused(ctx.images(), th, tw));
        }
        NDArray target = SmafTarget.build(fused, ctx.labels(), config).stopGradient();
        terms.put("mse", loss(head.logits(ctx.output()), target, config.lossWeight()));
    }

    /**
     * The teacher's target [B, C+1, height, width] for normalised images and multi-hot labels:
     * fused over the configured scales (and flips), then denoised and reactivated; detached.
     */
    public NDArray target(NDArray images, NDArray labels, int height, int width) {
        return SmafTarget.build(fused(images, height, width), labels, config).stopGradient();
    }

    /**
     * The teacher's fused maps [B, C, height, width], computed {@code teacherChunk} images at a
     * time (the fusion is per image, so chunking changes nothing but peak memory).
     */
    public NDArray fused(NDArray images, int height, int width) {
        if (teacher == null) {
            throw new IllegalStateException("this hook's teacher is offline: its maps are by step,"
                    + " not by image batch");
        }
        long b = images.getShape().get(0);
        NDList parts = new NDList();
        for (long i = 0; i < b; i += teacherChunk) {
            NDIndex rows = new NDIndex("{}:{}", i, Math.min(b, i + teacherChunk));
            parts.add(ScaleFusion.fuse(teacher, images.get(rows), config.scales(),
                    config.flip(), height, width));
        }
        NDArray f = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
        return f.stopGradient();
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
