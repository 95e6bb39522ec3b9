package org.wsss4j.methods.smaf;

import java.util.List;
import org.wsss4j.cam.CamKind;

/**
 * SMAF's switches; the defaults ({@link #PAPER}) are the paper's code values (methods.md §4).
 *
 * @param scales input scales fused by the teacher and for pseudo masks ({0.5, 1, 1.5, 2})
 * @param flip also fuse the un-flipped map of each flipped pass (true: 8 passes)
 * @param background the constant background channel of the target (0.2, set for EPS maps; the
 *     experiment also sweeps it on {@code val})
 * @param denoise multiply the fused maps by the image-level label (absent classes become 0)
 * @param reactivate divide the target by its per-pixel channel maximum (the winner becomes 1)
 * @param lossWeight weight of the MSE between the head's softmax and the target (100)
 * @param targetScale the target's side as a multiple of the token grid's: the paper builds it at
 *     ¼ of the crop while the student predicts at stride 8, i.e. 2× the student's map
 * @param rounds self-training rounds; round r's teacher is round r−1's student (paper: 1)
 * @param camKind the teacher's per-pass class-aware map in round 1 (the baseline CAM)
 * @param camLastBlocks the "last n of 12" blocks of the class-to-patch attention (3)
 */
public record SmafConfig(
        List<Double> scales,
        boolean flip,
        double background,
        boolean denoise,
        boolean reactivate,
        double lossWeight,
        int targetScale,
        int rounds,
        CamKind camKind,
        int camLastBlocks) {

    /** The paper's values on the shared base. */
    public static final SmafConfig PAPER =
            new SmafConfig(List.of(0.5, 1.0, 1.5, 2.0), true, 0.2, true, true, 100.0, 2, 1,
                    CamKind.BASELINE, 3);

    public SmafConfig {
        if (scales == null || scales.isEmpty()) {
            throw new IllegalArgumentException("SMAF needs at least one scale");
        }
        for (Double s : scales) {
            if (s == null || !(s > 0) || s > 8) {
                throw new IllegalArgumentException("SMAF scale " + s + " is not in (0, 8]");
            }
        }
        scales = List.copyOf(scales);
        if (!(background >= 0 && background <= 1)) {
            throw new IllegalArgumentException(
                    "SMAF background constant must be in [0, 1], got " + background);
        }
        if (!(lossWeight > 0) || Double.isInfinite(lossWeight)) {
            throw new IllegalArgumentException("SMAF loss weight must be positive, got " + lossWeight);
        }
        if (targetScale < 1 || targetScale > 16) {
            throw new IllegalArgumentException("SMAF target scale must be 1..16, got " + targetScale);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("SMAF needs at least one round, got " + rounds);
        }
        if (camKind == null) {
            throw new IllegalArgumentException("SMAF needs a CAM kind for its round-1 teacher");
        }
        if (camLastBlocks < 1 || camLastBlocks > 12) {
            throw new IllegalArgumentException(
                    "camLastBlocks is a 'last n of 12' count (1..12), got " + camLastBlocks);
        }
    }

    public SmafConfig withScales(List<Double> s) {
        return new SmafConfig(s, flip, background, denoise, reactivate, lossWeight, targetScale,
                rounds, camKind, camLastBlocks);
    }

    public SmafConfig withFlip(boolean f) {
        return new SmafConfig(scales, f, background, denoise, reactivate, lossWeight, targetScale,
                rounds, camKind, camLastBlocks);
    }

    public SmafConfig withBackground(double b) {
        return new SmafConfig(scales, flip, b, denoise, reactivate, lossWeight, targetScale,
                rounds, camKind, camLastBlocks);
    }

    public SmafConfig withDenoise(boolean d) {
        return new SmafConfig(scales, flip, background, d, reactivate, lossWeight, targetScale,
                rounds, camKind, camLastBlocks);
    }

    public SmafConfig withReactivate(boolean r) {
        return new SmafConfig(scales, flip, background, denoise, r, lossWeight, targetScale,
                rounds, camKind, camLastBlocks);
    }

    /** Whether {@code other} fuses over the same scales and flip (what a fused map depends on). */
    public boolean fusesLike(SmafConfig other) {
        return scales.equals(other.scales) && flip == other.flip;
    }

    public SmafConfig withLossWeight(double w) {
        return new SmafConfig(scales, flip, background, denoise, reactivate, w, targetScale,
                rounds, camKind, camLastBlocks);
    }

    public SmafConfig withTargetScale(int t) {
        return new SmafConfig(scales, flip, background, denoise, reactivate, lossWeight, t,
                rounds, camKind, camLastBlocks);
    }

    public SmafConfig withRounds(int r) {
        return new SmafConfig(scales, flip, background, denoise, reactivate, lossWeight,
                targetScale, r, camKind, camLastBlocks);
    }

    public SmafConfig withCam(CamKind kind, int lastBlocks) {
        return new SmafConfig(scales, flip, background, denoise, reactivate, lossWeight,
                targetScale, rounds, kind, lastBlocks);
    }
}
