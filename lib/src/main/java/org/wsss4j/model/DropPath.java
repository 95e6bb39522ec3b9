package org.wsss4j.model;

import ai.djl.ndarray.NDArray;
import java.util.SplittableRandom;
import org.wsss4j.runtime.Seeds;

/**
 * Stochastic depth for one training step. The keep/drop draws come from (seed, step, block) in
 * Java, not libtorch's RNG, so a resumed run drops the same paths.
 */
public final class DropPath {
    private final double maxRate;
    private final int depth;
    private final long seed;
    private final long step;

    public DropPath(double maxRate, int depth, long seed, long step) {
        this.maxRate = maxRate;
        this.depth = depth;
        this.seed = seed;
        this.step = step;
    }

    /** Rate of block b: linear from 0 to maxRate over the depth, as in DeiT. */
    public double rate(int block) {
        return depth <= 1 ? maxRate : maxRate * block / (depth - 1);
    }

    /** Zeroes whole samples of a residual branch [B, N, D] and rescales the kept ones. */
    public NDArray apply(NDArray branch, int block) {
        double r = rate(block);
        if (r <= 0) {
            return branch;
        }
        long batch = branch.getShape().get(0);
        SplittableRandom rnd = Seeds.random(seed, step, Seeds.Stream.DROP_PATH, block);
        float[] keep = new float[(int) batch];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = rnd.nextDouble() < r ? 0f : (float) (1.0 / (1.0 - r));
        }
        NDArray mask = branch.getManager().create(keep).reshape(batch, 1, 1);
        return branch.mul(mask);
    }
}
