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
        return scale(posLoss.add(negLoss), 0.5);
    }

    /**
     * {@code x · s} through a scalar tensor attached to x's manager. DJL's {@code mul(Number)}
     * closes its scalar right after the op; on the CPU that scalar's memory is a Java direct
     * buffer, which the garbage collector may free before backward reads it from the graph
     * (garbage gradients, found under GC pressure). An attached scalar lives until its manager
     * (or the step's scope) closes, after backward.
     */
    static NDArray scale(NDArray x, double s) {
        return x.mul(x.getManager().create((float) s).toDevice(x.getDevice(), false));
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
            NDArray l = scale(of(prediction(attentionLogits.get(blocks[i]), numClassTokens),
                    label), weights[i]);
            sum = sum == null ? l : sum.add(l);
        }
        return scale(sum, 1.0 / blocks.length);
    }
}
