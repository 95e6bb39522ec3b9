package org.wsss4j.runtime;

import java.util.SplittableRandom;

/**
 * Every random draw in the kit comes from (seed, step, stream). DJL cannot save libtorch's RNG
 * state, so a resumed run re-derives its draws instead of restoring them.
 */
public final class Seeds {
    private Seeds() {}

    /** Named streams keep unrelated draws independent (augmentation vs shuffling vs init). */
    public enum Stream {
        INIT,
        SHUFFLE,
        AUGMENT,
        DROP_PATH,
        GENERATOR,
        SPLIT,
        OTHER
    }

    public static SplittableRandom random(long seed, long step, Stream stream) {
        return new SplittableRandom(mix(seed, step, stream.ordinal()));
    }

    public static SplittableRandom random(long seed, long step, Stream stream, long extra) {
        return new SplittableRandom(mix(mix(seed, step, stream.ordinal()), extra, 0x5EED));
    }

    /** SplitMix64 finaliser over the combined key: cheap, well-spread, machine independent. */
    public static long mix(long a, long b, long c) {
        long z = a * 0x9E3779B97F4A7C15L + b * 0xC2B2AE3D27D4EB4FL + c * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
