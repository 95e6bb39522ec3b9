package org.wsss4j.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Everything one forward pass returns. Lists are empty unless the {@link ForwardRequest} asked
 * for them. Token layout: {@code numClassTokens} class tokens first, then the patch tokens
 * row-major over a {@code gridH × gridW} grid.
 *
 * @param classLogits [B, C] scores from the class token(s)
 * @param patchLogits [B, C] PatchCAM head after global average pooling (null for DeiT layout)
 * @param patchCam [B, C, gridH, gridW] the PatchCAM head's map before pooling (null for DeiT)
 * @param features [B, N, D] final-norm tokens
 * @param attention per block [B, heads, N, N] post-softmax
 * @param attentionLogits per block [B, heads, N, N] pre-softmax (scaled q·k)
 * @param blockFeatures per block [B, N, D] block outputs
 */
public record VitOutput(
        NDArray classLogits,
        NDArray patchLogits,
        NDArray patchCam,
        NDArray features,
        List<NDArray> attention,
        List<NDArray> attentionLogits,
        List<NDArray> blockFeatures,
        int numClassTokens,
        int gridH,
        int gridW) {

    public int numPatches() {
        return gridH * gridW;
    }
}
