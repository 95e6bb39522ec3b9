package org.wsss4j.methods.aream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import java.util.List;

/**
 * AReAM's affinity loss (methods.md §1.3 c; the same ½-positive/½-negative form as AFA's): for a
 * prediction σ ∈ (0, 1) per token pair and a label Y ∈ {0, 1, 255},
 * {@code L = ½ Σ_{Y=1} (1 − σ) / (n₊ + 1) + ½ Σ_{Y=0} σ / (n₋ + 1)}, counts over the whole batch,
 * 255 ignored. The prediction of a block is the sigmoid of the head mean of its
 * <em>pre-softmax</em> attention logits over the patch tokens.
 */
public final class AffinityLoss {
    private AffinityLoss() {}

    /** The loss of one prediction [B, n, n] against its label [B, n, n]. */
    public static NDArray of(NDArray prediction, NDArray label) {
        NDArray pos = label.eq(1f).toType(prediction.getDataType(), false);
        NDArray neg = label.eq(0f).toType(prediction.getDataType(), false);
        NDArray posLoss = pos.mul(prediction.neg().add(1f)).sum().div(pos.sum().add(1f));
        NDArray negLoss = neg.mul(prediction).sum().div(neg.sum().add(1f));
        return posLoss.add(negLoss).mul(0.5f);
    }

    /** One block's prediction: σ(head mean of the logits [B, heads, N, N] over the patches). */
    public static NDArray prediction(NDArray attentionLogits, int numClassTokens) {
        NDArray patch = attentionLogits.get(
                new NDIndex(":, :, {}:, {}:", numClassTokens, numClassTokens));
        return Activation.sigmoid(patch.mean(new int[] {1}));
    }

    /**
     * mean over {@code blocks} of weight_l · L_l (§1.3 c combined; weights 1 or e_l).
     *
     * @param attentionLogits every block's pre-softmax logits, as the forward returns them
     */
    public static NDArray overBlocks(
            List<NDArray> attentionLogits,
            int[] blocks,
            double[] weights,
            int numClassTokens,
            NDArray label) {
        if (blocks.length == 0 || weights.length != blocks.length) {
            throw new IllegalArgumentException(
                    weights.length + " weights for " + blocks.length + " supervised blocks");
        }
        if (attentionLogits.size() <= blocks[blocks.length - 1]) {
            throw new IllegalArgumentException("the forward kept " + attentionLogits.size()
                    + " blocks' attention logits; the loss needs block " + blocks[blocks.length - 1]
                    + " (request attentionLogits)");
        }
        NDArray sum = null;
        for (int i = 0; i < blocks.length; i++) {
            NDArray l = of(prediction(attentionLogits.get(blocks[i]), numClassTokens), label)
                    .mul((float) weights[i]);
            sum = sum == null ? l : sum.add(l);
        }
        return sum.div(blocks.length);
    }
}
