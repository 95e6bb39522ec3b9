package org.wsss4j.methods.adcam;

import java.util.Objects;

/**
 * The AD-CAM operator's switches. The paper gives none of them (methods.md §3.2, UNVERIFIED): the
 * defaults — product refinement, 2 diffusion steps, no restart — are the kit's starting point;
 * notebook 03 chooses candidate and steps on {@code val} and records the choice.
 *
 * @param refinement the neighbour-agreement candidate ({@link Refinement#NONE} = unrefined)
 * @param steps diffusion steps t &ge; 0 (0 = the map unchanged)
 * @param restart mixing weight β in [0, 1] of the original map at every step (0 = none)
 */
public record AdCamConfig(Refinement refinement, int steps, double restart) {

    /** Product refinement, 2 steps, no restart. */
    public static final AdCamConfig DEFAULT = new AdCamConfig(Refinement.PRODUCT, 2, 0.0);

    public AdCamConfig {
        Objects.requireNonNull(refinement, "refinement");
        new Diffusion(steps, restart); // same range checks, one place
    }

    /** The diffusion part. */
    public Diffusion diffusion() {
        return new Diffusion(steps, restart);
    }

    public AdCamConfig withRefinement(Refinement r) {
        return new AdCamConfig(r, steps, restart);
    }

    public AdCamConfig withSteps(int t) {
        return new AdCamConfig(refinement, t, restart);
    }

    public AdCamConfig withRestart(double beta) {
        return new AdCamConfig(refinement, steps, beta);
    }

    /**
     * A row label, e.g. {@code adcam-product-t2}, {@code adcam-cosine-t3-r0.2}, or {@code
     * diffuse-t2} when the refinement is {@link Refinement#NONE}.
     */
    public String name() {
        String head = refinement == Refinement.NONE ? "diffuse" : "adcam-" + refinement.label();
        return head + "-" + diffusion().name();
    }
}
