package org.wsss4j.methods.adcam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * AD-CAM as one call, and the two strawmen it is compared with in notebook 03. All methods are
 * pure functions of their inputs (see the package comment): they never modify them, and return a
 * new array on the inputs' manager and device.
 *
 * <ul>
 *   <li>{@link #refine}: {@link Refinement} ("conservative") then {@link Diffusion}
 *       ("convincing") — AD-CAM reconstructed from the paper's description;
 *   <li>{@link #diffuseUnrefined}: diffusion along the row-normalised, unrefined attention;
 *   <li>{@link #directCoupling}: PatchCAM ⊙ class-to-patch attention, the pixel-wise "coupling"
 *       the paper argues adds false positives (TS-CAM style; on the shared base this is the
 *       baseline CAM before its ReLU and min–max).
 * </ul>
 */
public final class AdCam {
    private AdCam() {}

    /**
     * AD-CAM with the default switches ({@link AdCamConfig#DEFAULT}).
     *
     * @see #refine(NDArray, NDArray, AdCamConfig)
     */
    public static NDArray refine(NDArray cam, NDArray attention) {
        return refine(cam, attention, AdCamConfig.DEFAULT);
    }

    /**
     * Refines the attention and diffuses the maps along it.
     *
     * <p>PRODUCT, COSINE and NONE run in factored form, never materialising the transition matrix
     * (see {@code FactoredTransition}); the result equals {@code diffusion.apply(cam,
     * transition(attention, refinement))} up to float rounding (tested).
     *
     * @param cam {@code [B, C, h, w]} class maps (float); not modified
     * @param attention patch-to-patch attention {@code [B, h·w, h·w]}, or per head {@code [B, H,
     *     h·w, h·w]} (from {@link AttentionSource}); per head, each head is refined on its own and
     *     the stochastic matrices are averaged (refinement is not linear, so this differs from
     *     refining the head mean)
     * @param config candidate, steps, restart
     * @return the diffused maps, {@code [B, C, h, w]}
     */
    public static NDArray refine(NDArray cam, NDArray attention, AdCamConfig config) {
        checkPair(cam, attention);
        if (config.steps() == 0) {
            return cam.duplicate(); // the refinement would be computed for nothing
        }
        try (NDManager scope = Scopes.of(cam, attention)) {
            FactoredTransition fast = FactoredTransition.of(attention, config.refinement());
            if (fast != null) {
                return scope.ret(config.diffusion().apply(cam, fast));
            }
            NDArray t = transition(attention, config.refinement());
            return scope.ret(config.diffusion().apply(cam, t));
        }
    }

    /**
     * Diffusion along the unrefined attention, only made row-stochastic: {@code refine} with
     * {@link Refinement#NONE}.
     */
    public static NDArray diffuseUnrefined(NDArray cam, NDArray attention, Diffusion diffusion) {
        return refine(
                cam, attention, new AdCamConfig(Refinement.NONE, diffusion.steps(), diffusion.restart()));
    }

    /**
     * The transition matrix the maps diffuse along.
     *
     * @param attention {@code [B, n, n]} or {@code [B, H, n, n]}; not modified
     * @param refinement the candidate
     * @return {@code [B, n, n]}, row-stochastic (head mean of the per-head matrices if 4-D)
     */
    public static NDArray transition(NDArray attention, Refinement refinement) {
        int d = attention.getShape().dimension();
        if (d != 3 && d != 4) {
            throw new IllegalArgumentException(
                    "AdCam: attention has shape " + attention.getShape()
                            + ", expected [B, n, n] or [B, H, n, n]");
        }
        try (NDManager scope = Scopes.of(attention)) {
            NDArray t = refinement.apply(attention);
            // A mean of stochastic matrices is stochastic.
            return scope.ret(d == 4 ? t.mean(new int[] {1}) : t);
        }
    }

    /**
     * Direct coupling: {@code out(c, i) = patchCam(c, i) · classToPatch(c, i)}, element-wise. No
     * ReLU or normalisation is applied: the caller's CAM pipeline (the {@code cam} package) does
     * that, as for every other row.
     *
     * @param patchCam {@code [B, C, h, w]}; not modified
     * @param classToPatch {@code [B, C, h·w]} (as {@link AttentionSource#classToPatch} gives) or
     *     {@code [B, C, h, w]}
     * @return {@code [B, C, h, w]}
     */
    public static NDArray directCoupling(NDArray patchCam, NDArray classToPatch) {
        Shape s = patchCam.getShape();
        Shape a = classToPatch.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException(
                    "AdCam.directCoupling: patchCam has shape " + s + ", expected [B, C, h, w]");
        }
        boolean flat = a.equals(new Shape(s.get(0), s.get(1), s.get(2) * s.get(3)));
        if (!flat && !a.equals(s)) {
            throw new IllegalArgumentException(
                    "AdCam.directCoupling: class-to-patch attention has shape " + a + ", expected ["
                            + s.get(0) + ", " + s.get(1) + ", " + s.get(2) * s.get(3) + "] or " + s
                            + " for patchCam " + s);
        }
        try (NDManager scope = Scopes.of(patchCam, classToPatch)) {
            return scope.ret(patchCam.mul(flat ? classToPatch.reshape(s) : classToPatch));
        }
    }

    private static void checkPair(NDArray cam, NDArray attention) {
        Shape s = cam.getShape();
        Shape a = attention.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException(
                    "AdCam: cam has shape " + s + ", expected [B, C, h, w]");
        }
        if (!cam.getDataType().isFloating() || cam.getDataType() != attention.getDataType()) {
            throw new IllegalArgumentException(
                    "AdCam: cam is " + cam.getDataType() + " and attention " + attention.getDataType()
                            + "; both must be the same floating type");
        }
        long n = s.get(2) * s.get(3);
        int d = a.dimension();
        boolean ok =
                (d == 3 || d == 4) && a.get(0) == s.get(0) && a.get(d - 1) == n && a.get(d - 2) == n;
        if (!ok) {
            throw new IllegalArgumentException(
                    "AdCam: attention has shape " + a + ", expected [" + s.get(0) + ", " + n + ", "
                            + n + "] or [" + s.get(0) + ", H, " + n + ", " + n + "] for cam " + s);
        }
    }
}
