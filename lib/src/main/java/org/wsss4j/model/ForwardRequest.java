package org.wsss4j.model;

/**
 * What a forward pass keeps besides the logits. The plain training forward keeps nothing extra;
 * CAM inference and loss hooks ask for what they need, and get it from the same pass.
 *
 * @param attention every block's post-softmax attention [B, heads, N, N]
 * @param attentionLogits every block's pre-softmax (scaled) logits [B, heads, N, N]
 * @param blockFeatures every block's output tokens [B, N, D]
 */
public record ForwardRequest(boolean attention, boolean attentionLogits, boolean blockFeatures) {
    public static final ForwardRequest PLAIN = new ForwardRequest(false, false, false);
    public static final ForwardRequest ATTENTION = new ForwardRequest(true, false, false);
    public static final ForwardRequest ALL = new ForwardRequest(true, true, true);

    /** The union of two requests: a pass that satisfies both. */
    public ForwardRequest or(ForwardRequest o) {
        return new ForwardRequest(
                attention || o.attention,
                attentionLogits || o.attentionLogits,
                blockFeatures || o.blockFeatures);
    }
}
