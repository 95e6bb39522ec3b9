package org.wsss4j.cam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.LayerPositions;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitOutput;

/**
 * Turns forward passes into class maps: the baseline CAM (MCTformer-V2's PatchCAM ⊙
 * class-to-patch attention), PatchCAM alone or class attention alone, over scales and flips,
 * ReLU and min–max per class at the input's resolution. Runs outside autograd.
 */
public final class ClassActivation {
    private ClassActivation() {}

    /** The token-grid map of one forward: [B, C, gh, gw], before ReLU/normalisation. */
    public static NDArray gridMap(VisionTransformer model, VitOutput out, CamConfig cfg) {
        if (!model.config().isMct()) {
            throw new IllegalArgumentException(
                    "class maps need the MCTformer layout (one class token per class)");
        }
        int[] blocks = LayerPositions.last(cfg.lastBlocks(), model.config().depth());
        NDArray patchCam = out.patchCam().maximum(0f);
        switch (cfg.kind()) {
            case PATCH_CAM:
                return patchCam;
            case CLASS_ATTENTION:
                return CamOps.classToPatch(out.attention(), blocks, out.numClassTokens(),
                        out.gridH(), out.gridW());
            case BASELINE:
            default:
                return patchCam.mul(CamOps.classToPatch(out.attention(), blocks,
                        out.numClassTokens(), out.gridH(), out.gridW()));
        }
    }

    /**
     * Maps for a batch of normalised images [B, 3, H, W]: summed over scales (and flips),
     * upsampled to H×W, ReLU, min–max per class. Returns [B, C, H, W] in the images' manager.
     */
    public static NDArray infer(VisionTransformer model, NDArray images, CamConfig cfg) {
        Shape s = images.getShape();
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int p = model.config().patchSize();
        NDArray sum = null;
        for (double scale : cfg.scales()) {
            int sh = CamOps.scaledSide(h, scale, p);
            int sw = CamOps.scaledSide(w, scale, p);
            NDArray x = CamOps.resize(images, sh, sw);
            NDArray m = CamOps.resize(gridMap(model, model.forward(x, ForwardRequest.ATTENTION),
                    cfg), h, w);
            sum = sum == null ? m : sum.add(m);
            if (cfg.flip()) {
                NDArray xf = CamOps.flipW(x);
                NDArray mf = gridMap(model, model.forward(xf, ForwardRequest.ATTENTION), cfg);
                sum = sum.add(CamOps.flipW(CamOps.resize(mf, h, w)));
            }
        }
        return CamOps.minMax(sum.maximum(0f));
    }
}
