package org.wsss4j.eval;

/**
 * A split's metrics at one background threshold, with the split that chose the threshold: the
 * kit reports every CAM row both ways (methods.md Part 1, "Thresholds").
 *
 * @param split the evaluated split
 * @param thresholdSplit the split on which {@code threshold} was chosen
 * @param threshold the background threshold
 * @param oracle true when the threshold was the best one on the evaluated split itself (the
 *     papers' protocol), false when chosen on another split
 * @param metrics the evaluated split's metrics at {@code threshold}
 */
public record ThresholdedScore(
        String split, String thresholdSplit, double threshold, boolean oracle, SegMetrics metrics) {

    public ThresholdedScore {
        if (oracle != split.equals(thresholdSplit)) {
            throw new IllegalArgumentException(
                    oracle
                            ? "an oracle score chooses its threshold on the evaluated split"
                            : "threshold chosen on the evaluated split '" + split
                                    + "' must be labelled oracle");
        }
    }

    /** How a table names the threshold's origin: {@code "val"} or {@code "oracle (train)"}. */
    public String thresholdLabel() {
        return oracle ? "oracle (" + split + ")" : thresholdSplit;
    }
}
