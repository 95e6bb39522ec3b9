package org.wsss4j.methods.aream;

import java.util.List;
import java.util.stream.IntStream;
import org.wsss4j.model.LayerPositions;

/**
 * AReAM's switches (methods.md §1.3, §7), defaults equal to the MCTformer variant's official
 * values.
 *
 * @param layerIndex K as a 12-block index: the target refines with blocks &lt; K, the loss acts
 *     on blocks ≥ K (7 for MCTformer); resolved for the model's depth by {@link LayerPositions}
 * @param lossWeight weight of the affinity loss in the total (0.1)
 * @param scoreLow low background score s_l (0.35)
 * @param scoreHigh high background score s_h (0.55)
 * @param weighting uniform layer weights (the paper's "U", the main row) or entropy weights ("E")
 * @param entropy the normalised per-block entropies e_l of the model (one per block, in [0, 1]),
 *     used only with {@link Weighting#ENTROPY}: see {@link EntropyWeights}
 * @param startStep the first step with the loss on (where the shared warm-up ends; AReAM: epoch
 *     10 of 60)
 * @param parIterations PAR propagation steps (10); its dilations scale with the map size
 */
public record AreamConfig(
        int layerIndex,
        double lossWeight,
        double scoreLow,
        double scoreHigh,
        Weighting weighting,
        List<Double> entropy,
        long startStep,
        int parIterations) {

    /** How the blocks are weighted (§1.3 d). */
    public enum Weighting {
        /** Every block weight 1 (the official default; the main row). */
        UNIFORM,
        /** Shallow blocks by 1 − e_l in the refinement, deep blocks by e_l in the loss. */
        ENTROPY
    }

    /** The official MCTformer settings: K = 7, weight 0.1, s_l 0.35, s_h 0.55, uniform. */
    public static final AreamConfig PAPER =
            new AreamConfig(7, 0.1, 0.35, 0.55, Weighting.UNIFORM, List.of(), 0,
                    Par.PAPER_ITERATIONS);

    public AreamConfig {
        if (layerIndex < 1 || layerIndex >= LayerPositions.PAPER_DEPTH) {
            throw new IllegalArgumentException(
                    "AReAM layer index K must be in 1..11 (12-block index), got " + layerIndex);
        }
        if (!(lossWeight >= 0)) {
            throw new IllegalArgumentException("AReAM loss weight must be >= 0, got " + lossWeight);
        }
        if (!(scoreLow > 0 && scoreLow <= scoreHigh && scoreHigh < 1)) {
            throw new IllegalArgumentException(
                    "AReAM background scores need 0 < s_l <= s_h < 1, got " + scoreLow + ", "
                            + scoreHigh);
        }
        entropy = List.copyOf(entropy);
        if (weighting == Weighting.ENTROPY) {
            if (entropy.isEmpty()) {
                throw new IllegalArgumentException(
                        "entropy weighting needs the per-block entropies e_l (EntropyWeights)");
            }
            for (double e : entropy) {
                if (!(e >= 0 && e <= 1)) {
                    throw new IllegalArgumentException(
                            "normalised entropies must lie in [0, 1], got " + entropy);
                }
            }
        }
        if (parIterations < 0) {
            throw new IllegalArgumentException("PAR iterations must be >= 0, got " + parIterations);
        }
    }

    public AreamConfig withLayerIndex(int k) {
        return new AreamConfig(k, lossWeight, scoreLow, scoreHigh, weighting, entropy, startStep,
                parIterations);
    }

    public AreamConfig withLossWeight(double w) {
        return new AreamConfig(layerIndex, w, scoreLow, scoreHigh, weighting, entropy, startStep,
                parIterations);
    }

    public AreamConfig withStartStep(long s) {
        return new AreamConfig(layerIndex, lossWeight, scoreLow, scoreHigh, weighting, entropy, s,
                parIterations);
    }

    /** Entropy weighting with the model's normalised per-block entropies. */
    public AreamConfig withEntropyWeights(List<Double> e) {
        return new AreamConfig(layerIndex, lossWeight, scoreLow, scoreHigh, Weighting.ENTROPY, e,
                startStep, parIterations);
    }

    public AreamConfig withUniformWeights() {
        return new AreamConfig(layerIndex, lossWeight, scoreLow, scoreHigh, Weighting.UNIFORM,
                List.of(), startStep, parIterations);
    }

    /** Blocks &lt; K for a model of {@code depth} blocks (the target's refinement). */
    public int[] shallowBlocks(int depth) {
        return LayerPositions.below(layerIndex, depth);
    }

    /** Blocks ≥ K (the supervised ones). */
    public int[] deepBlocks(int depth) {
        return LayerPositions.atOrAbove(layerIndex, depth);
    }

    /** Weights of the shallow blocks in the refinement: 1, or 1 − e_l. */
    public double[] shallowWeights(int depth) {
        return weights(shallowBlocks(depth), depth, true);
    }

    /** Weights of the deep blocks in the loss: 1, or e_l. */
    public double[] deepWeights(int depth) {
        return weights(deepBlocks(depth), depth, false);
    }

    private double[] weights(int[] blocks, int depth, boolean complement) {
        if (weighting == Weighting.UNIFORM) {
            return IntStream.range(0, blocks.length).mapToDouble(i -> 1.0).toArray();
        }
        if (entropy.size() != depth) {
            throw new IllegalArgumentException("entropy weights were measured for "
                    + entropy.size() + " blocks, the model has " + depth);
        }
        return IntStream.of(blocks)
                .mapToDouble(b -> complement ? 1 - entropy.get(b) : entropy.get(b))
                .toArray();
    }
}
