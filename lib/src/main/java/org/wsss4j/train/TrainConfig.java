package org.wsss4j.train;

/**
 * One training run's recipe (the baseline's: AdamW, warm-up + cosine).
 *
 * @param totalSteps the schedule's length (the cosine ends here)
 * @param lrWarmupSteps linear learning-rate warm-up
 * @param minLrRatio final learning rate as a fraction of the peak
 * @param clipNorm global gradient-norm clip, 0 = off
 * @param dropPath stochastic depth of the last block, 0 = off
 * @param checkpointEvery save a resumable checkpoint every N steps (0 = only at the end)
 */
public record TrainConfig(
        long seed,
        int totalSteps,
        double lr,
        double weightDecay,
        int lrWarmupSteps,
        double minLrRatio,
        double clipNorm,
        double dropPath,
        int checkpointEvery) {

    public LrSchedule schedule() {
        return new LrSchedule(lr, lrWarmupSteps, totalSteps, minLrRatio);
    }

    public TrainConfig withTotalSteps(int steps) {
        return new TrainConfig(seed, steps, lr, weightDecay, lrWarmupSteps, minLrRatio, clipNorm,
                dropPath, checkpointEvery);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(s, totalSteps, lr, weightDecay, lrWarmupSteps, minLrRatio, clipNorm,
                dropPath, checkpointEvery);
    }

    public TrainConfig withCheckpointEvery(int n) {
        return new TrainConfig(seed, totalSteps, lr, weightDecay, lrWarmupSteps, minLrRatio,
                clipNorm, dropPath, n);
    }
}
