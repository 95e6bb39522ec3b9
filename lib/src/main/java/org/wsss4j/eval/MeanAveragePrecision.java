package org.wsss4j.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Multilabel classification mAP: the mean over classes of average precision, AP = Σ_n (R_n −
 * R_{n−1}) · P_n over the distinct score thresholds in decreasing order (no interpolation; the
 * definition of scikit-learn's {@code average_precision_score}; tied scores enter together).
 * Classes without a positive sample have no AP: they are skipped and counted in {@link
 * Result#skipped()}.
 *
 * <p>Use it as an accumulator ({@link #add(float[], float[])} per sample) or in one call ({@link
 * #of(float[][], float[][])}).
 */
public final class MeanAveragePrecision {
    private final int numClasses;
    private final List<float[]> scores = new ArrayList<>();
    private final List<boolean[]> labels = new ArrayList<>();

    /**
     * @param mAP mean of the defined APs (NaN if no class has a positive)
     * @param ap per-class AP, NaN for a skipped class
     * @param skipped classes with no positive sample
     */
    public record Result(double mAP, double[] ap, int skipped) {
        public Result {
            ap = ap.clone();
        }

        @Override
        public double[] ap() {
            return ap.clone();
        }
    }

    /** @param numClasses C (object classes; background has no image-level label) */
    public MeanAveragePrecision(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        this.numClasses = numClasses;
    }

    /**
     * Adds one sample: {@code score[c]} any finite real (logit or probability), {@code label[c]}
     * exactly 0 or 1.
     */
    public void add(float[] score, float[] label) {
        int n = scores.size();
        if (score.length != numClasses || label.length != numClasses) {
            throw new IllegalArgumentException(
                    "sample " + n + ": expected " + numClasses + " scores and labels, got "
                            + score.length + " and " + label.length);
        }
        boolean[] pos = new boolean[numClasses];
        for (int c = 0; c < numClasses; c++) {
            if (!Float.isFinite(score[c])) {
                throw new IllegalArgumentException(
                        "sample " + n + ": score of class " + c + " is " + score[c]);
            }
            if (label[c] != 0f && label[c] != 1f) {
                throw new IllegalArgumentException(
                        "sample " + n + ": label of class " + c + " is " + label[c]
                                + ", must be 0 or 1");
            }
            pos[c] = label[c] == 1f;
        }
        scores.add(score.clone());
        labels.add(pos);
    }

    /** Adds samples row by row. */
    public void add(float[][] score, float[][] label) {
        if (score.length != label.length) {
            throw new IllegalArgumentException(
                    score.length + " score rows but " + label.length + " label rows");
        }
        for (int i = 0; i < score.length; i++) {
            add(score[i], label[i]);
        }
    }

    /** Samples added so far. */
    public int samples() {
        return scores.size();
    }

    /** mAP of everything added. */
    public Result result() {
        int n = scores.size();
        double[] ap = new double[numClasses];
        double sum = 0;
        int defined = 0;
        Integer[] order = new Integer[n];
        for (int c = 0; c < numClasses; c++) {
            final int cc = c;
            int positives = 0;
            for (boolean[] l : labels) {
                positives += l[c] ? 1 : 0;
            }
            if (positives == 0) {
                ap[c] = Double.NaN;
                continue;
            }
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Float.compare(scores.get(b)[cc], scores.get(a)[cc]));
            double a = 0;
            int tp = 0, seen = 0, prevTp = 0;
            for (int i = 0; i < n; ) {
                float s = scores.get(order[i])[c];
                // One threshold per distinct score: take every tied sample at once.
                while (i < n && scores.get(order[i])[c] == s) {
                    tp += labels.get(order[i])[c] ? 1 : 0;
                    seen++;
                    i++;
                }
                a += (double) (tp - prevTp) / positives * ((double) tp / seen);
                prevTp = tp;
            }
            ap[c] = a;
            sum += a;
            defined++;
        }
        return new Result(defined > 0 ? sum / defined : Double.NaN, ap, numClasses - defined);
    }

    /** mAP of {@code scores[N][C]} against multi-hot {@code labels[N][C]}. */
    public static Result of(float[][] scores, float[][] labels) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("mAP of zero samples");
        }
        MeanAveragePrecision m = new MeanAveragePrecision(scores[0].length);
        m.add(scores, labels);
        return m.result();
    }
}
