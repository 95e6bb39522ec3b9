package org.wsss4j.methods.aream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitOutput;
import org.wsss4j.train.BatchSource;

/**
 * AReAM's dataset-level layer weights (methods.md §1.3 d, the official {@code ent_voc_*.py}),
 * which the official repository does not ship: for each image with at least one label class and
 * each block l, the label classes' ReLU(PatchCAM) is refined by that block's head-mean patch
 * affinity alone, summed over the classes, turned into a distribution over the patches by a
 * softmax, and its entropy H_l = −Σ p log₂ p is averaged over the images; then e_l = (H_l − min)
 * / (max − min). Computed from a <em>baseline</em> checkpoint (the kit's shared warm-up).
 */
public final class EntropyWeights {
    private EntropyWeights() {}

    /**
     * Mean H_l (bits) per block over {@code batches} batches of {@code source} (each batch in its
     * own manager; images at the training size, normalised).
     */
    public static double[] measure(VisionTransformer model, BatchSource source, int batches) {
        int depth = model.config().depth();
        double[] sum = new double[depth];
        long images = 0;
        for (int i = 0; i < batches; i++) {
            try (NDManager m = NDManager.newBaseManager(model.device());
                    NoGrad ignored = new NoGrad();
                    NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                BatchSource.Batch b = source.get(i, m);
                VitOutput out = model.forward(b.images(), ForwardRequest.ATTENTION);
                double[][] h = perImage(out, b.labels());
                for (double[] row : h) {
                    if (row == null) {
                        continue;
                    }
                    for (int l = 0; l < depth; l++) {
                        sum[l] += row[l];
                    }
                    images++;
                }
            }
        }
        if (images == 0) {
            throw new IllegalArgumentException(
                    "entropy weights need images with at least one label class; none in "
                            + batches + " batches");
        }
        for (int l = 0; l < depth; l++) {
            sum[l] /= images;
        }
        return sum;
    }

    /**
     * H_l (bits) of each image of one forward [images][blocks]; null for an image without label
     * classes (the official script assumes every image has one).
     */
    public static double[][] perImage(VitOutput out, NDArray labels) {
        if (out.patchCam() == null || out.attention().isEmpty()) {
            throw new IllegalArgumentException(
                    "entropy weights need the MCTformer layout and the forward's attention");
        }
        Shape s = out.patchCam().getShape();
        long b = s.get(0);
        long c = s.get(1);
        int hw = out.numPatches();
        int t = out.numClassTokens();
        NDArray cam = out.patchCam().maximum(0f).reshape(b, c, hw)
                .mul(labels.reshape(b, c, 1)); // label classes only
        int depth = out.attention().size();
        float[][] ent = new float[depth][];
        for (int l = 0; l < depth; l++) {
            NDArray p = out.attention().get(l).get(new NDIndex(":, :, {}:, {}:", t, t))
                    .mean(new int[] {1});
            NDArray refined = cam.matMul(p.transpose(0, 2, 1)).sum(new int[] {1}); // [B, hw]
            // log-softmax keeps p·log p at 0 where p underflows (log of 0 would give NaN).
            NDArray logProb = refined.logSoftmax(1);
            ent[l] = logProb.exp().mul(logProb).sum(new int[] {1}).neg()
                    .div((float) Math.log(2)).toFloatArray();
        }
        float[] lab = labels.toFloatArray();
        double[][] result = new double[(int) b][];
        for (int i = 0; i < b; i++) {
            boolean any = false;
            for (int k = 0; k < c; k++) {
                any |= lab[(int) (i * c + k)] > 0.5f;
            }
            if (!any) {
                continue;
            }
            result[i] = new double[depth];
            for (int l = 0; l < depth; l++) {
                result[i][l] = ent[l][i];
            }
        }
        return result;
    }

    /**
     * Whether {@link #normalize} is defined: finite entropies that differ between blocks by more
     * than float noise (1e-5 bits).
     */
    public static boolean defined(double[] entropy) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double h : entropy) {
            if (!Double.isFinite(h)) {
                return false;
            }
            min = Math.min(min, h);
            max = Math.max(max, h);
        }
        return max - min > 1e-5;
    }

    /** e_l = (H_l − min_l H) / (max_l H − min_l H); fails when every block has the same H. */
    public static List<Double> normalize(double[] entropy) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double h : entropy) {
            if (!Double.isFinite(h)) {
                throw new IllegalArgumentException("block entropy " + h + " is not finite");
            }
            min = Math.min(min, h);
            max = Math.max(max, h);
        }
        if (!(max > min)) {
            throw new IllegalArgumentException(
                    "every block has the same entropy " + min + ": entropy weights are undefined");
        }
        List<Double> e = new ArrayList<>(entropy.length);
        for (double h : entropy) {
            e.add((h - min) / (max - min));
        }
        return e;
    }
}
