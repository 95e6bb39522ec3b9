package org.wsss4j.methods.acr;

import java.util.List;

/**
 * ACR's training switches (methods.md §2.3). Defaults are the official VOC script's: both terms
 * on, each weighted α = 125, second view = horizontal flip, both views' classification losses,
 * every block.
 *
 * <p><b>Weights and the token count.</b> α = 125 balances an L1 mean over 577 × 577 attention
 * entries whose rows sum to 1 (entries ~1/N). With {@code scaleToTokens} (default, methods.md
 * Part 1) the weight applied to a model with N = C + gh·gw tokens is w·N/577; {@link
 * #resolvedAlpha} and {@link #resolvedAffinityWeight} give it, and provenance records both.
 *
 * <p><b>The two-view baseline.</b> The second view's forward always runs, whatever the term
 * switches, so a row with both terms off ({@link #twoViewBaseline()}) sees exactly the same
 * two-view batches and classification losses (MLSM on both views, as in the official loss) as
 * the method rows; only the consistency terms differ. A term switched on with weight 0 is
 * computed and contributes nothing.
 *
 * @param alpha weight of the class-to-patch ("activation intensity") term, at N = 577 tokens
 * @param affinityWeight weight of the patch-to-patch ("all-pairs affinity") term, at N = 577;
 *     the official code uses α for both
 * @param classToPatch switch of the class-to-patch term
 * @param patchToPatch switch of the patch-to-patch term
 * @param scaleToTokens rescale both weights by N/577 for the model's token count
 * @param secondView how the second view is made
 * @param jitter the photometric change of the PHOTOMETRIC modes
 * @param secondViewLoss add the second view's classification loss (official: yes)
 * @param blocks the blocks both terms run over; empty = every block (official: all 12)
 */
public record AcrConfig(
        double alpha,
        double affinityWeight,
        boolean classToPatch,
        boolean patchToPatch,
        boolean scaleToTokens,
        SecondView secondView,
        PhotometricJitter jitter,
        boolean secondViewLoss,
        List<Integer> blocks) {

    /** α of the official VOC script (the code's default is 100; COCO uses 100). */
    public static final double PAPER_ALPHA = 125;

    /** The token count α was set for: 24 × 24 patches + 1 class token at 384 px. */
    public static final int PAPER_TOKENS = 577;

    /** The official VOC configuration. */
    public static final AcrConfig PAPER =
            new AcrConfig(PAPER_ALPHA, PAPER_ALPHA, true, true, true, SecondView.FLIP,
                    PhotometricJitter.DEFAULT, true, List.of());

    public AcrConfig {
        if (!(alpha >= 0) || !(affinityWeight >= 0)) {
            throw new IllegalArgumentException("ACR weights must be >= 0, got alpha " + alpha
                    + ", affinityWeight " + affinityWeight);
        }
        if (secondView == null || jitter == null || blocks == null) {
            throw new IllegalArgumentException("secondView, jitter and blocks must be set");
        }
        blocks = List.copyOf(blocks);
    }

    /** Both views and both classification losses, no consistency term: the baseline row. */
    public static AcrConfig twoViewBaseline() {
        return PAPER.withTerms(false, false);
    }

    /** True when any consistency term is on (the forwards must keep attention). */
    public boolean anyTerm() {
        return classToPatch || patchToPatch;
    }

    /** The class-to-patch weight applied to a model with {@code tokens} tokens. */
    public double resolvedAlpha(int tokens) {
        return scale(alpha, tokens);
    }

    /** The patch-to-patch weight applied to a model with {@code tokens} tokens. */
    public double resolvedAffinityWeight(int tokens) {
        return scale(affinityWeight, tokens);
    }

    private double scale(double w, int tokens) {
        if (tokens < 2) {
            throw new IllegalArgumentException("token count must be >= 2, got " + tokens);
        }
        return scaleToTokens ? w * tokens / PAPER_TOKENS : w;
    }

    /** The blocks the terms run over, for a model of {@code depth} blocks. */
    public int[] blocksFor(int depth) {
        if (blocks.isEmpty()) {
            return java.util.stream.IntStream.range(0, depth).toArray();
        }
        int[] out = new int[blocks.size()];
        for (int i = 0; i < out.length; i++) {
            int b = blocks.get(i);
            if (b < 0 || b >= depth) {
                throw new IllegalArgumentException(
                        "ACR block " + b + " is outside 0.." + (depth - 1) + " for this model");
            }
            out[i] = b;
        }
        return out;
    }

    public AcrConfig withTerms(boolean c2p, boolean p2p) {
        return new AcrConfig(alpha, affinityWeight, c2p, p2p, scaleToTokens, secondView, jitter,
                secondViewLoss, blocks);
    }

    /** Sets both weights to {@code a} (the official code's single α). */
    public AcrConfig withAlpha(double a) {
        return new AcrConfig(a, a, classToPatch, patchToPatch, scaleToTokens, secondView, jitter,
                secondViewLoss, blocks);
    }

    public AcrConfig withWeights(double a, double affinity) {
        return new AcrConfig(a, affinity, classToPatch, patchToPatch, scaleToTokens, secondView,
                jitter, secondViewLoss, blocks);
    }

    public AcrConfig withSecondView(SecondView v) {
        return new AcrConfig(alpha, affinityWeight, classToPatch, patchToPatch, scaleToTokens, v,
                jitter, secondViewLoss, blocks);
    }

    public AcrConfig withJitter(PhotometricJitter j) {
        return new AcrConfig(alpha, affinityWeight, classToPatch, patchToPatch, scaleToTokens,
                secondView, j, secondViewLoss, blocks);
    }

    public AcrConfig withSecondViewLoss(boolean on) {
        return new AcrConfig(alpha, affinityWeight, classToPatch, patchToPatch, scaleToTokens,
                secondView, jitter, on, blocks);
    }

    public AcrConfig withScaleToTokens(boolean on) {
        return new AcrConfig(alpha, affinityWeight, classToPatch, patchToPatch, on, secondView,
                jitter, secondViewLoss, blocks);
    }

    public AcrConfig withBlocks(List<Integer> b) {
        return new AcrConfig(alpha, affinityWeight, classToPatch, patchToPatch, scaleToTokens,
                secondView, jitter, secondViewLoss, b);
    }
}
