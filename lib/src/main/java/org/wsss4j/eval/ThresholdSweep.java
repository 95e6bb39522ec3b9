package org.wsss4j.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.wsss4j.data.ClassList;
import org.wsss4j.data.IndexedPng.LabelMap;

/**
 * Scores class maps against ground truth at every background threshold t = 0.00, 0.01, …, 0.99
 * (methods.md §6.3; ACR and MCTformer sweep this grid) in one pass per image.
 *
 * <p>Why one pass suffices: with the rule of {@link PseudoLabels}, a pixel whose best class c has
 * value v is labelled c for every t &lt; v and background otherwise. So each pixel only adds one
 * count to a histogram {@code [gt][c][bucket]}, where bucket = number of grid thresholds below v;
 * the confusion matrix of threshold k is then a suffix sum over buckets. The result equals
 * labelling with {@link PseudoLabels#label} at each t and adding to a {@link ConfusionMatrix}
 * (a test checks this), at the cost of one labelling.
 *
 * <p>A sweep carries the name of the split it scores, so that {@link ThresholdedScore} can say
 * which split chose a threshold: {@link #chooseOn(ThresholdSweep, ThresholdSweep)} picks t on one
 * split (val) and applies it to another; {@link #oracle()} is the papers' protocol (best t on the
 * evaluated split itself) and is labelled as such.
 */
public final class ThresholdSweep {
    /** Number of grid thresholds: t_k = k / 100 for k = 0..99. */
    public static final int STEPS = 100;

    /** The grid in float, the precision in which maps are compared with t. */
    private static final float[] GRID = new float[STEPS];

    static {
        for (int k = 0; k < STEPS; k++) {
            GRID[k] = (float) threshold(k);
        }
    }

    private final String split;
    private final int numLabels;
    /** Flat {@code [gt][pred class][bucket 0..STEPS]}. */
    private final long[] hist;

    private int images;
    private List<Point> curve;

    /** One threshold of the curve and the metrics there. */
    public record Point(int index, double threshold, SegMetrics metrics) {}

    /**
     * @param split name of the split the added images come from (e.g. "val", "train")
     * @param numLabels C + 1
     */
    public ThresholdSweep(String split, int numLabels) {
        if (split == null || split.isBlank()) {
            throw new IllegalArgumentException("a threshold sweep needs the name of its split");
        }
        new ConfusionMatrix(numLabels); // validates numLabels
        this.split = split;
        this.numLabels = numLabels;
        this.hist = new long[numLabels * numLabels * (STEPS + 1)];
    }

    /** Sweeps {@code maps}, looking up each image's ground truth by id. */
    public static ThresholdSweep of(
            String split,
            int numLabels,
            Iterable<ClassMaps> maps,
            Function<String, LabelMap> groundTruth) {
        ThresholdSweep s = new ThresholdSweep(split, numLabels);
        for (ClassMaps m : maps) {
            LabelMap gt = groundTruth.apply(m.id());
            if (gt == null) {
                throw new IllegalArgumentException(m.id() + ": no ground truth for this image");
            }
            s.add(m, gt);
        }
        return s;
    }

    /** Threshold value of grid index {@code k}: k / 100. */
    public static double threshold(int k) {
        if (k < 0 || k >= STEPS) {
            throw new IllegalArgumentException("threshold index must be 0.." + (STEPS - 1) + ": " + k);
        }
        return k / 100.0;
    }

    /** Grid index of threshold {@code t}; fails if t is not one of 0.00, 0.01, …, 0.99. */
    public static int index(double t) {
        long k = Math.round(t * 100);
        if (k < 0 || k >= STEPS || Math.abs(t * 100 - k) > 1e-6) {
            throw new IllegalArgumentException(
                    "threshold " + t + " is not on the sweep grid 0.00, 0.01, ..., 0.99");
        }
        return (int) k;
    }

    public String split() {
        return split;
    }

    public int numLabels() {
        return numLabels;
    }

    /** Images added so far. */
    public int images() {
        return images;
    }

    /**
     * Adds one image. Fails, naming the image, if sizes differ, a class is outside 1..C or a
     * ground-truth value is neither a label nor 255; nothing is counted for a rejected image.
     */
    public void add(ClassMaps maps, LabelMap gt) {
        String id = maps.id();
        if (gt.width() != maps.width() || gt.height() != maps.height()) {
            throw new IllegalArgumentException(
                    id + ": maps are " + maps.width() + "x" + maps.height()
                            + " but ground truth is " + gt.width() + "x" + gt.height());
        }
        int[] classes = maps.classes();
        for (int c : classes) {
            if (c >= numLabels) {
                throw new IllegalArgumentException(
                        id + ": class " + c + " is outside 1.." + (numLabels - 1));
            }
        }
        byte[] g = gt.labels();
        for (int i = 0; i < g.length; i++) {
            int v = g[i] & 0xFF;
            if (v >= numLabels && v != ClassList.IGNORE) {
                throw new IllegalArgumentException(
                        id + ": ground-truth value " + v + " at pixel (" + (i % gt.width()) + ", "
                                + (i / gt.width()) + ") is not a label (0.." + (numLabels - 1)
                                + " or 255)");
            }
        }
        float[][] m = maps.maps();
        int k = classes.length;
        int perGt = numLabels * (STEPS + 1);
        for (int i = 0; i < g.length; i++) {
            int gv = g[i] & 0xFF;
            if (gv == ClassList.IGNORE) {
                continue;
            }
            int label = 0;
            int bucket = 0;
            if (k > 0) {
                int best = 0;
                float v = m[0][i];
                for (int c = 1; c < k; c++) {
                    if (m[c][i] > v) {
                        v = m[c][i];
                        best = c;
                    }
                }
                label = classes[best];
                bucket = bucket(v);
            }
            hist[gv * perGt + label * (STEPS + 1) + bucket]++;
        }
        images++;
        curve = null;
    }

    /** Adds the counts of another sweep over the same labels (e.g. one per worker thread). */
    public void merge(ThresholdSweep other) {
        if (other.numLabels != numLabels) {
            throw new IllegalArgumentException(
                    "cannot merge a " + other.numLabels + "-label sweep into a " + numLabels
                            + "-label one");
        }
        for (int i = 0; i < hist.length; i++) {
            hist[i] += other.hist[i];
        }
        images += other.images;
        curve = null;
    }

    /** Number of grid thresholds strictly below {@code v}: the pixel is foreground for k below it. */
    static int bucket(float v) {
        int b = (int) Math.ceil(v * 100.0);
        b = Math.max(0, Math.min(STEPS, b));
        // Settle the float rounding at the edges exactly against the grid.
        while (b > 0 && !(GRID[b - 1] < v)) {
            b--;
        }
        while (b < STEPS && GRID[b] < v) {
            b++;
        }
        return b;
    }

    /** Confusion matrix at grid index {@code k}. */
    public ConfusionMatrix confusion(int k) {
        threshold(k);
        ConfusionMatrix cm = new ConfusionMatrix(numLabels);
        int perGt = numLabels * (STEPS + 1);
        for (int g = 0; g < numLabels; g++) {
            for (int c = 0; c < numLabels; c++) {
                int base = g * perGt + c * (STEPS + 1);
                long fg = 0, all = 0;
                for (int b = 0; b <= STEPS; b++) {
                    long n = hist[base + b];
                    all += n;
                    if (b > k) {
                        fg += n;
                    }
                }
                if (all == 0) {
                    continue;
                }
                if (c == 0) {
                    cm.add(g, 0, all);
                } else {
                    cm.add(g, c, fg);
                    cm.add(g, 0, all - fg);
                }
            }
        }
        return cm;
    }

    /** Metrics at grid index {@code k}. */
    public SegMetrics at(int k) {
        return curve().get(k).metrics();
    }

    /** Metrics at grid threshold {@code t} (0.00 … 0.99). */
    public SegMetrics at(double t) {
        return at(index(t));
    }

    /** Metrics at every grid threshold, in order of t. */
    public List<Point> curve() {
        if (images == 0) {
            throw new IllegalStateException("threshold sweep on '" + split + "' has no images");
        }
        if (curve == null) {
            List<Point> pts = new ArrayList<>(STEPS);
            for (int k = 0; k < STEPS; k++) {
                pts.add(new Point(k, threshold(k), SegMetrics.of(confusion(k))));
            }
            curve = Collections.unmodifiableList(pts);
        }
        return curve;
    }

    /** The threshold with the highest main mIoU on this split (the lowest t on a tie). */
    public Point best() {
        Point best = null;
        for (Point p : curve()) {
            if (best == null || p.metrics().mIoU() > best.metrics().mIoU()) {
                best = p;
            }
        }
        return best;
    }

    /** The papers' protocol: this split scored at its own best threshold, labelled oracle. */
    public ThresholdedScore oracle() {
        Point b = best();
        return new ThresholdedScore(split, split, b.threshold(), true, b.metrics());
    }

    /** This split scored at threshold {@code t}, which was chosen on {@code thresholdSplit}. */
    public ThresholdedScore scoreAt(double t, String thresholdSplit) {
        if (split.equals(thresholdSplit)) {
            throw new IllegalArgumentException(
                    "threshold chosen on '" + split + "' itself: use oracle() for that protocol");
        }
        return new ThresholdedScore(split, thresholdSplit, index(t) / 100.0, false, at(t));
    }

    /**
     * The honest protocol: t is the best threshold of {@code chooser} (e.g. val) and {@code
     * evaluated} (e.g. train) is scored there. The splits must differ.
     */
    public static ThresholdedScore chooseOn(ThresholdSweep chooser, ThresholdSweep evaluated) {
        return evaluated.scoreAt(chooser.best().threshold(), chooser.split());
    }
}
