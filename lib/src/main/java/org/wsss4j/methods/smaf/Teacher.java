package org.wsss4j.methods.smaf;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.wsss4j.cam.CamKind;
import org.wsss4j.model.VisionTransformer;

/**
 * The teacher of one self-training round: a frozen copy of the model as it was before the round
 * (and of its SMAF head, from round 2 on), whose parameters take no gradient, so its forwards
 * inside the student's gradient collector record nothing and cost no backward.
 *
 * <p>Round 1's teacher is the model before self-training; its per-pass maps are the baseline CAM
 * (min–max per pass). From round 2 on, round r's teacher is round r−1's student; its per-pass
 * maps are the softmax foreground channels of the student's head, fused as in the paper (no
 * per-pass normalisation). A teacher owns its copies and frees them on {@link #close()}.
 */
public final class Teacher implements MapSource, AutoCloseable {
    /**
     * Default number of images per teacher forward, online or offline: bounds the teacher's
     * memory (a forward keeps every block's attention at up to 2× scale).
     */
    public static final int CHUNK = 16;

    private final VisionTransformer model;
    private final SegmentationHead head;
    private final MapSource source;

    private Teacher(VisionTransformer model, SegmentationHead head, MapSource source) {
        this.model = model;
        this.head = head;
        this.source = source;
    }

    /** A teacher whose maps are {@code kind} (the baseline CAM) of a frozen copy of {@code model}. */
    public static Teacher ofCam(VisionTransformer model, CamKind kind, int lastBlocks) {
        VisionTransformer frozen = frozenCopy(model);
        return new Teacher(frozen, null, MapSource.cam(frozen, kind, lastBlocks));
    }

    /** A teacher whose maps are the softmax foreground channels of frozen copies of both. */
    public static Teacher ofHead(VisionTransformer model, SegmentationHead head) {
        VisionTransformer frozen = frozenCopy(model);
        SegmentationHead frozenHead = null;
        try {
            frozenHead = head.frozenCopy();
            return new Teacher(frozen, frozenHead, frozenHead.source(frozen));
        } catch (RuntimeException e) {
            frozen.close();
            if (frozenHead != null) {
                frozenHead.close();
            }
            throw e;
        }
    }

    /**
     * The teacher of round {@code round} (1-based) of {@code cfg}: the CAM of {@code model} in
     * round 1, the head of {@code model} afterwards.
     */
    public static Teacher forRound(
            int round, VisionTransformer model, SegmentationHead head, SmafConfig cfg) {
        if (round < 1) {
            throw new IllegalArgumentException("rounds are numbered from 1, got " + round);
        }
        return round == 1 ? ofCam(model, cfg.camKind(), cfg.camLastBlocks()) : ofHead(model, head);
    }

    /**
     * A copy of {@code model}'s current parameters whose parameters take no gradient. Call
     * outside a gradient collector.
     */
    public static VisionTransformer frozenCopy(VisionTransformer model) {
        VisionTransformer copy = new VisionTransformer(model.config(), model.device(), 0);
        try {
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                copy.setParameter(e.getKey(), e.getValue());
            }
            for (NDArray p : copy.parameters().values()) {
                p.setRequiresGradient(false);
            }
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
        return copy;
    }

    /** The frozen model (do not train or close it). */
    public VisionTransformer model() {
        return model;
    }

    /** True when the maps come from a SMAF head (rounds ≥ 2), false for the CAM. */
    public boolean usesHead() {
        return head != null;
    }

    @Override
    public NDArray gridMaps(NDArray images) {
        return source.gridMaps(images);
    }

    @Override
    public PassNorm passNorm() {
        return source.passNorm();
    }

    @Override
    public int patchSize() {
        return source.patchSize();
    }

    @Override
    public void close() {
        model.close();
        if (head != null) {
            head.close();
        }
    }
}
