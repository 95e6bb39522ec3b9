package org.wsss4j.eval;

/**
 * Segmentation metrics of one confusion matrix over a whole split.
 *
 * <p><b>IoU conventions.</b> For label c: TP = #(pred = c ∧ gt = c), P = #(pred = c), T = #(gt = c),
 * union = T + P − TP.
 *
 * <ul>
 *   <li>{@link #mIoU()} (the kit's main column, as ToCo and mmsegmentation): the mean of TP/union
 *       over the labels whose union is &gt; 0; a label that is neither present nor predicted is
 *       left out ({@link #iou()} holds NaN for it).
 *   <li>{@link #mIoUMct()} (MCTformer's {@code evaluation.py}): TP / (T + P − TP + 1e-10) averaged
 *       over all C + 1 labels, so an absent, never-predicted label counts as 0.
 * </ul>
 *
 * <p><b>Foreground precision and recall</b> are binary and pixel-level: foreground is any label
 * other than 0, regardless of which class; precision = #(pred ≠ 0 ∧ gt ≠ 0) / #(pred ≠ 0), recall =
 * #(pred ≠ 0 ∧ gt ≠ 0) / #(gt ≠ 0), ground truth 255 ignored. Either is NaN when its denominator is
 * 0 (e.g. nothing predicted as foreground at a high background threshold).
 *
 * @param iou per-label IoU, main convention (NaN where the union is 0)
 * @param iouMct per-label IoU, MCTformer convention (0 where the union is 0)
 * @param mIoU mean of {@code iou} over labels with union &gt; 0 (NaN if none)
 * @param mIoUMct mean of {@code iouMct} over all labels
 * @param precision foreground precision
 * @param recall foreground recall
 * @param pixelAccuracy correctly labelled pixels / scored pixels (NaN if none)
 * @param pixels scored pixels (ground truth not 255)
 * @param labelsScored labels with union &gt; 0 (the divisor of {@code mIoU})
 */
public record SegMetrics(
        double[] iou,
        double[] iouMct,
        double mIoU,
        double mIoUMct,
        double precision,
        double recall,
        double pixelAccuracy,
        long pixels,
        int labelsScored) {

    /** MCTformer's denominator guard. */
    public static final double MCT_EPS = 1e-10;

    public SegMetrics {
        iou = iou.clone();
        iouMct = iouMct.clone();
    }

    @Override
    public double[] iou() {
        return iou.clone();
    }

    @Override
    public double[] iouMct() {
        return iouMct.clone();
    }

    /** IoU of label {@code c}, main convention (NaN where the union is 0). */
    public double iou(int c) {
        return iou[c];
    }

    /** Number of labels, C + 1. */
    public int numLabels() {
        return iou.length;
    }

    /** Computes every metric from {@code cm}. */
    public static SegMetrics of(ConfusionMatrix cm) {
        int n = cm.numLabels();
        long[] tp = new long[n];
        long[] t = new long[n];
        long[] p = new long[n];
        long total = 0;
        for (int g = 0; g < n; g++) {
            for (int q = 0; q < n; q++) {
                long v = cm.get(g, q);
                t[g] += v;
                p[q] += v;
                total += v;
            }
            tp[g] = cm.get(g, g);
        }
        double[] iou = new double[n];
        double[] iouMct = new double[n];
        double sum = 0, sumMct = 0;
        int scored = 0;
        long correct = 0;
        for (int c = 0; c < n; c++) {
            long union = t[c] + p[c] - tp[c];
            iou[c] = union > 0 ? (double) tp[c] / union : Double.NaN;
            iouMct[c] = tp[c] / (t[c] + p[c] - tp[c] + MCT_EPS);
            if (union > 0) {
                sum += iou[c];
                scored++;
            }
            sumMct += iouMct[c];
            correct += tp[c];
        }
        // Foreground (binary): every label but 0.
        long gtFg = total - t[0];
        long predFg = total - p[0];
        long bothFg = 0;
        for (int g = 1; g < n; g++) {
            bothFg += t[g] - cm.get(g, 0);
        }
        return new SegMetrics(
                iou,
                iouMct,
                scored > 0 ? sum / scored : Double.NaN,
                sumMct / n,
                predFg > 0 ? (double) bothFg / predFg : Double.NaN,
                gtFg > 0 ? (double) bothFg / gtFg : Double.NaN,
                total > 0 ? (double) correct / total : Double.NaN,
                total,
                scored);
    }
}
