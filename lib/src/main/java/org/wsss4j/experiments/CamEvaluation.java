package org.wsss4j.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.wsss4j.cam.CamConfig;
import org.wsss4j.cam.CamOps;
import org.wsss4j.cam.ClassActivation;
import org.wsss4j.data.IndexedPng;
import org.wsss4j.data.ImageTensors;
import org.wsss4j.data.RgbImage;
import org.wsss4j.data.VocDataset;
import org.wsss4j.eval.ClassMaps;
import org.wsss4j.eval.MeanAveragePrecision;
import org.wsss4j.eval.ThresholdSweep;
import org.wsss4j.eval.ThresholdedScore;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitOutput;

/**
 * Scores class maps the way every table does (methods.md Part 1): maps for the image-level label
 * classes, a background-threshold sweep on `val` that chooses the threshold, applied to `train`,
 * with the oracle threshold on `train` beside it, labelled.
 */
public final class CamEvaluation {
    private CamEvaluation() {}

    /** Images [B, 3, H, W] (normalised) → maps [B, C, H, W] in [0, 1], outside autograd. */
    @FunctionalInterface
    public interface MapFn {
        NDArray maps(VisionTransformer model, NDArray images);
    }

    /** The baseline CAM (or another {@link CamConfig}) as a map function. */
    public static MapFn cam(CamConfig cfg) {
        return (model, images) -> ClassActivation.infer(model, images, cfg);
    }

    /** Both threshold protocols for one row. */
    public record Scores(ThresholdedScore honest, ThresholdedScore oracle, ThresholdSweep val,
            ThresholdSweep train) {}

    /** Maps of every image of {@code ds} for its label classes, at the image's resolution. */
    public static List<ClassMaps> maps(VisionTransformer model, VocDataset ds, MapFn fn,
            int batch) throws IOException {
        List<ClassMaps> out = new ArrayList<>(ds.size());
        EqualSizeBatches.forEach(model, ds, batch, (x, first, originals) -> {
            RgbImage img = originals.get(0);
            NDArray maps = CamOps.resize(fn.maps(model, x), img.height(), img.width());
            out.addAll(toClassMaps(maps, ds, first));
        });
        return out;
    }

    /**
     * Maps [B, C, H, W] of images {@code start..start+B-1} of {@code ds} (at the images' size)
     * as {@link ClassMaps} for their label classes.
     */
    public static List<ClassMaps> toClassMaps(NDArray maps, VocDataset ds, int start) {
        float[] v = maps.toFloatArray();
        long[] s = maps.getShape().getShape();
        int b = (int) s[0], c = (int) s[1], h = (int) s[2], w = (int) s[3];
        List<ClassMaps> out = new ArrayList<>(b);
        for (int k = 0; k < b; k++) {
            int idx = start + k;
            int[] labels = ds.labels(idx);
            float[][] per = new float[labels.length][];
            for (int l = 0; l < labels.length; l++) {
                int off = (k * c + labels[l] - 1) * h * w;
                per[l] = java.util.Arrays.copyOfRange(v, off, off + h * w);
                for (int q = 0; q < per[l].length; q++) {
                    per[l][q] = Math.min(1f, Math.max(0f, per[l][q]));
                }
            }
            out.add(new ClassMaps(ds.id(idx), w, h, labels, per));
        }
        return out;
    }

    /** The threshold sweep of maps against the split's masks. */
    public static ThresholdSweep sweep(List<ClassMaps> maps, VocDataset ds) throws IOException {
        ThresholdSweep s = new ThresholdSweep(ds.split(), ds.classes().numLabels());
        for (int i = 0; i < maps.size(); i++) {
            IndexedPng.LabelMap gt = ds.readMask(i);
            s.add(maps.get(i), gt);
        }
        return s;
    }

    /** Threshold chosen on {@code val}, applied to {@code train}; oracle on {@code train}. */
    public static Scores score(VisionTransformer model, MapFn fn, VocDataset val,
            VocDataset train, int batch) throws IOException {
        ThresholdSweep v = sweep(maps(model, val, fn, batch), val);
        ThresholdSweep t = sweep(maps(model, train, fn, batch), train);
        return new Scores(ThresholdSweep.chooseOn(v, t), t.oracle(), v, t);
    }

    /** Classification mAP of the class-token scores and of the PatchCAM head on {@code ds}. */
    public static double[] classificationMap(VisionTransformer model, VocDataset ds, int batch)
            throws IOException {
        int c = ds.classes().numClasses();
        MeanAveragePrecision cls = new MeanAveragePrecision(c);
        MeanAveragePrecision patch = new MeanAveragePrecision(c);
        int p = model.config().patchSize();
        for (int start = 0; start < ds.size(); start += batch) {
            int end = Math.min(ds.size(), start + batch);
            try (NDManager m = NDManager.newBaseManager(model.device())) {
                NDList xs = new NDList();
                for (int i = start; i < end; i++) {
                    RgbImage img = ds.readImage(i);
                    int iw = Math.max(p, Math.round((float) img.width() / p) * p);
                    int ih = Math.max(p, Math.round((float) img.height() / p) * p);
                    // One image at a time when sizes differ; synthetic images share one size.
                    xs.add(ImageTensors.toNDArray(m, img, iw, ih, false));
                }
                boolean same = xs.stream().allMatch(a -> a.getShape().equals(xs.get(0).getShape()));
                List<NDArray> outs = new ArrayList<>();
                if (same) {
                    VitOutput o = model.forward(NDArrays.concat(xs, 0), ForwardRequest.PLAIN);
                    outs.add(o.classLogits());
                    outs.add(o.patchLogits());
                } else {
                    NDList a = new NDList(), b = new NDList();
                    for (NDArray x : xs) {
                        VitOutput o = model.forward(x, ForwardRequest.PLAIN);
                        a.add(o.classLogits());
                        b.add(o.patchLogits());
                    }
                    outs.add(NDArrays.concat(a, 0));
                    outs.add(NDArrays.concat(b, 0));
                }
                float[] s1 = outs.get(0).toFloatArray();
                float[] s2 = outs.get(1) == null ? null : outs.get(1).toFloatArray();
                for (int i = start; i < end; i++) {
                    int k = i - start;
                    float[] lab = ds.multiHot(i);
                    cls.add(java.util.Arrays.copyOfRange(s1, k * c, (k + 1) * c), lab);
                    if (s2 != null) {
                        patch.add(java.util.Arrays.copyOfRange(s2, k * c, (k + 1) * c), lab);
                    }
                }
            }
        }
        return new double[] {cls.result().mAP(),
            patch.samples() == 0 ? Double.NaN : patch.result().mAP()};
    }
}
