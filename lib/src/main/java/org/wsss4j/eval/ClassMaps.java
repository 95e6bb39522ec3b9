package org.wsss4j.eval;

import java.util.Arrays;

/**
 * The common currency of CAM rows: one normalised map per class of an image's image-level label.
 * Maps are row-major, {@code maps[i][y * width + x]}, values in [0, 1]; {@code maps[i]} belongs
 * to label value {@code classes[i]} (1-based: 1..C, as in {@link org.wsss4j.data.ClassList}).
 * Classes absent from the image-level label have no map and are never predicted. An empty
 * {@code classes} is allowed (every pixel becomes background).
 *
 * <p>The arrays are not copied (maps are large); treat them as immutable once wrapped.
 *
 * @param id image id (file stem), used in error messages and as the pseudo-label file name
 */
public record ClassMaps(String id, int width, int height, int[] classes, float[][] maps) {
    /** Slack for values written as 1 + rounding error by a min–max normalisation. */
    static final float RANGE_SLACK = 1e-5f;

    public ClassMaps {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("class maps need an image id");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    id + ": size must be positive, got " + width + "x" + height);
        }
        if (classes.length != maps.length) {
            throw new IllegalArgumentException(
                    id + ": " + classes.length + " classes but " + maps.length + " maps");
        }
        int n = width * height;
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 1 || classes[i] > 254) {
                throw new IllegalArgumentException(
                        id + ": class value " + classes[i] + " is not an object label (1..254)");
            }
            for (int j = 0; j < i; j++) {
                if (classes[j] == classes[i]) {
                    throw new IllegalArgumentException(
                            id + ": class " + classes[i] + " listed twice in "
                                    + Arrays.toString(classes));
                }
            }
            float[] m = maps[i];
            if (m.length != n) {
                throw new IllegalArgumentException(
                        id + ": map of class " + classes[i] + " has " + m.length
                                + " values, expected " + width + "x" + height + " = " + n);
            }
            for (int k = 0; k < n; k++) {
                float v = m[k];
                // Written so that NaN fails too.
                if (!(v >= -RANGE_SLACK && v <= 1 + RANGE_SLACK)) {
                    throw new IllegalArgumentException(
                            id + ": map of class " + classes[i] + " has value " + v
                                    + " at pixel (" + (k % width) + ", " + (k / width)
                                    + "); maps must be normalised to [0, 1]");
                }
            }
        }
    }

    /** The map of label value {@code classValue}, or null if the image-level label lacks it. */
    public float[] mapOf(int classValue) {
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] == classValue) {
                return maps[i];
            }
        }
        return null;
    }
}
