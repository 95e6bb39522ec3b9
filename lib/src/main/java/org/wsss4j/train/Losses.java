package org.wsss4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.wsss4j.model.VitOutput;

/** The classification losses of the shared base. */
public final class Losses {
    private Losses() {}

    /**
     * PyTorch's MultiLabelSoftMarginLoss: mean over batch and classes of −[y·log σ(x) + (1−y)·log
     * σ(−x)], written with softplus so large logits stay finite.
     */
    public static NDArray multilabelSoftMargin(NDArray logits, NDArray labels) {
        // -log σ(x) = softplus(-x); -log σ(-x) = softplus(x)
        NDArray pos = Activation.softPlus(logits.neg()).mul(labels);
        NDArray neg = Activation.softPlus(logits).mul(labels.neg().add(1f));
        return pos.add(neg).mean();
    }

    /** MCTformer-V2: class-token loss + PatchCAM loss (DeiT layout: class token only). */
    public static NDArray baseline(VitOutput out, NDArray labels) {
        NDArray loss = multilabelSoftMargin(out.classLogits(), labels);
        if (out.patchLogits() != null) {
            loss = loss.add(multilabelSoftMargin(out.patchLogits(), labels));
        }
        return loss;
    }
}
