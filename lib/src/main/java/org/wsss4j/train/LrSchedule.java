package org.wsss4j.train;

/** Linear warm-up to the peak, then cosine to {@code minRatio}·peak at the last step. */
public record LrSchedule(double peak, int warmupSteps, int totalSteps, double minRatio) {
    public double at(long step) {
        if (warmupSteps > 0 && step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        long span = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / span);
        double cos = 0.5 * (1 + Math.cos(Math.PI * progress));
        return peak * (minRatio + (1 - minRatio) * cos);
    }
}
