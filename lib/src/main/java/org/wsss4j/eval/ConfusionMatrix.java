package org.wsss4j.eval;

import org.wsss4j.data.ClassList;

/**
 * Pixel counts {@code [gt][pred]} over label values 0..numLabels-1, accumulated over a whole
 * split (not averaged per image), as in mmsegmentation, ToCo and MCTformer. Ground-truth pixels
 * equal to {@link ClassList#IGNORE} are skipped; any other value outside the label range, in
 * prediction or ground truth, is an error.
 */
public final class ConfusionMatrix {
    private final int numLabels;
    private final long[][] counts;

    /** @param numLabels C + 1 (background included) */
    public ConfusionMatrix(int numLabels) {
        if (numLabels < 2 || numLabels > ClassList.IGNORE) {
            throw new IllegalArgumentException(
                    "numLabels must be in [2, 255] (C + 1), got " + numLabels);
        }
        this.numLabels = numLabels;
        this.counts = new long[numLabels][numLabels];
    }

    public int numLabels() {
        return numLabels;
    }

    /**
     * Adds one image: {@code pred[i]} and {@code gt[i]} are unsigned label values of the same
     * pixel. Fails on a length mismatch or a value outside 0..numLabels-1 (gt 255 excepted),
     * naming the value and the pixel index; nothing is counted for a rejected image.
     */
    public void add(byte[] pred, byte[] gt) {
        if (pred.length != gt.length) {
            throw new IllegalArgumentException(
                    "prediction has " + pred.length + " pixels but ground truth has " + gt.length);
        }
        // Validate first so a bad image leaves the matrix untouched.
        for (int i = 0; i < gt.length; i++) {
            int g = gt[i] & 0xFF;
            int p = pred[i] & 0xFF;
            if (g != ClassList.IGNORE && g >= numLabels) {
                throw new IllegalArgumentException(
                        "ground-truth value " + g + " at pixel " + i + " is not a label (0.."
                                + (numLabels - 1) + " or 255)");
            }
            if (p >= numLabels) {
                throw new IllegalArgumentException(
                        "predicted value " + p + " at pixel " + i + " is not a label (0.."
                                + (numLabels - 1) + ")");
            }
        }
        for (int i = 0; i < gt.length; i++) {
            int g = gt[i] & 0xFF;
            if (g != ClassList.IGNORE) {
                counts[g][pred[i] & 0xFF]++;
            }
        }
    }

    /** Adds {@code n} pixels of ground truth {@code gt} predicted as {@code pred}. */
    public void add(int gt, int pred, long n) {
        if (gt < 0 || gt >= numLabels || pred < 0 || pred >= numLabels || n < 0) {
            throw new IllegalArgumentException(
                    "bad cell (gt " + gt + ", pred " + pred + ", n " + n + ") for " + numLabels
                            + " labels");
        }
        counts[gt][pred] += n;
    }

    /** Adds every count of {@code other} (same number of labels) to this matrix. */
    public void merge(ConfusionMatrix other) {
        if (other.numLabels != numLabels) {
            throw new IllegalArgumentException(
                    "cannot merge a " + other.numLabels + "-label matrix into a " + numLabels
                            + "-label one");
        }
        for (int g = 0; g < numLabels; g++) {
            for (int p = 0; p < numLabels; p++) {
                counts[g][p] += other.counts[g][p];
            }
        }
    }

    /** Pixels with ground truth {@code gt} predicted as {@code pred}. */
    public long get(int gt, int pred) {
        return counts[gt][pred];
    }

    /** A copy of the counts, {@code [gt][pred]}. */
    public long[][] counts() {
        long[][] c = new long[numLabels][];
        for (int g = 0; g < numLabels; g++) {
            c[g] = counts[g].clone();
        }
        return c;
    }

    /** Scored pixels (ground truth not ignored). */
    public long total() {
        long t = 0;
        for (long[] row : counts) {
            for (long v : row) {
                t += v;
            }
        }
        return t;
    }

    /** The metrics of this matrix. */
    public SegMetrics metrics() {
        return SegMetrics.of(this);
    }
}
