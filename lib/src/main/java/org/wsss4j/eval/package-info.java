/**
 * Scoring, independent of any model: one confusion-matrix path for every segmentation metric
 * ({@link org.wsss4j.eval.ConfusionMatrix} → {@link org.wsss4j.eval.SegMetrics}), the background
 * threshold sweep over class maps ({@link org.wsss4j.eval.ThresholdSweep}) with the kit's
 * threshold protocol ({@link org.wsss4j.eval.ThresholdedScore}), pseudo-label writing, multilabel
 * classification mAP, per-object recall by object size, and the ideal part map
 * ({@link org.wsss4j.eval.IdealPartMap}: what gate 2 shows on a data set's geometry without a
 * model).
 *
 * <p>Label values follow {@link org.wsss4j.data.ClassList}: 0 background, 1..C objects, 255
 * ignored in ground truth.
 */
package org.wsss4j.eval;
