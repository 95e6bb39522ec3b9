package org.wsss4j.data;

/**
 * ImageNet mean/std normalisation, the one place these constants live: DeiT/timm weights expect
 * it, and the from-scratch presets use it too so that every model sees the same input scale.
 * A normalised sample is (value / 255 - mean[c]) / std[c].
 */
public final class Normalization {
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private Normalization() {}

    /** ImageNet mean of channel c (0 red, 1 green, 2 blue) on the 0..1 scale. */
    public static float mean(int c) {
        return MEAN[c];
    }

    /** ImageNet standard deviation of channel c on the 0..1 scale. */
    public static float std(int c) {
        return STD[c];
    }

    /** Normalises a 0..1 intensity of channel c. */
    public static float normalize(float unit, int c) {
        return (unit - MEAN[c]) / STD[c];
    }

    /** Back to a 0..1 intensity (for overlays), unclamped. */
    public static float denormalize(float value, int c) {
        return value * STD[c] + MEAN[c];
    }
}
