package org.wsss4j.methods.adcam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;

/**
 * AD-CAM's "convincing" step: class activation spreads along a row-stochastic transition matrix T
 * as a random walk of {@code steps} steps.
 *
 * <p><b>Direction.</b> Row i of T says where token i looks; the map at token i <em>gathers</em>
 * from the tokens it attends to: {@code cam'(c, i) = Σ_j T(i, j) · cam(c, j)}, as in MCTformer's
 * refinement {@code A_ref(c, i) = Σ_j A_p2p(i, j) · A(c, j)}. With the map of class c as a column
 * vector over tokens, one step is {@code m ← T·m}; on the {@code [B, C, n]} layout it is {@code M ←
 * M·Tᵀ}. Because T is stochastic, every new value is a convex combination of old ones: a min–max
 * normalised map stays in [0, 1], and a constant map stays constant.
 *
 * <p><b>Restart.</b> With {@code restart = β > 0} each step mixes the original map back in,
 * {@code m_{k+1} = (1−β)·T·m_k + β·m_0} (a random walk with restart; β = 0 is the plain walk).
 * {@code steps = 0} is the identity. The number of steps and any mixing term are UNVERIFIED in
 * the paper (methods.md §3.2); the defaults (2 steps, no restart) are the kit's, to be chosen on
 * {@code val}.
 *
 * @param steps t &ge; 0
 * @param restart β in [0, 1]
 */
public record Diffusion(int steps, double restart) {

    /** Two steps, no restart (the kit's starting point; notebook 03 sweeps the steps on val). */
    public static final Diffusion DEFAULT = new Diffusion(2, 0.0);

    public Diffusion {
        if (steps < 0) {
            throw new IllegalArgumentException("Diffusion: steps = " + steps + ", must be >= 0");
        }
        if (!(restart >= 0 && restart <= 1)) {
            throw new IllegalArgumentException(
                    "Diffusion: restart = " + restart + ", must lie in [0, 1]");
        }
    }

    /** {@code steps} steps without restart. */
    public static Diffusion steps(int steps) {
        return new Diffusion(steps, 0.0);
    }

    /**
     * Diffuses the maps.
     *
     * @param cam {@code [B, C, h, w]}, floating point; not modified
     * @param transition {@code [B, h·w, h·w]}, row-stochastic (see {@link Refinement#apply}); row
     *     i distributes nothing — it gathers into token i
     * @return a new {@code [B, C, h, w]} array (a copy when {@code steps = 0})
     */
    public NDArray apply(NDArray cam, NDArray transition) {
        check(cam, transition);
        // The transposed view is made inside the walk's scope; BLAS reads it transposed.
        return walk(cam, transition, m -> m.matMul(transition.swapAxes(1, 2)));
    }

    /** The same walk along a factored transition (the fast path of {@link AdCam#refine}). */
    NDArray apply(NDArray cam, FactoredTransition transition) {
        return walk(cam, transition.anyBlock(), transition::step);
    }

    /** {@code steps} times {@code m ← (1−β)·step(m) + β·m0} on the {@code [B, C, n]} layout. */
    private NDArray walk(NDArray cam, NDArray anyTransitionArray, UnaryOperator<NDArray> step) {
        if (steps == 0) {
            return cam.duplicate();
        }
        Shape s = cam.getShape();
        long n = s.get(2) * s.get(3);
        try (NDManager scope = Scopes.of(cam, anyTransitionArray)) {
            NDArray m0 = cam.reshape(s.get(0), s.get(1), n);
            NDArray m = m0;
            NDArray kept = restart > 0 ? m0.mul(restart) : null;
            for (int k = 0; k < steps; k++) {
                m = step.apply(m);
                if (kept != null) {
                    m.muli(1 - restart).addi(kept);
                }
            }
            return scope.ret(m.reshape(s));
        }
    }

    /** A short label for tables, e.g. {@code t2} or {@code t2-r0.3}. */
    public String name() {
        return "t" + steps + (restart > 0 ? "-r" + trim(restart) : "");
    }

    static String trim(double v) {
        String t = Double.toString(v);
        return t.endsWith(".0") ? t.substring(0, t.length() - 2) : t;
    }

    static void check(NDArray cam, NDArray transition) {
        Shape s = cam.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException(
                    "Diffusion: cam has shape " + s + ", expected [B, C, h, w]");
        }
        if (!cam.getDataType().isFloating()) {
            throw new IllegalArgumentException(
                    "Diffusion: cam has dtype " + cam.getDataType() + ", expected float");
        }
        long n = s.get(2) * s.get(3);
        Shape t = transition.getShape();
        if (t.dimension() != 3 || t.get(0) != s.get(0) || t.get(1) != n || t.get(2) != n) {
            throw new IllegalArgumentException(
                    "Diffusion: transition has shape " + t + ", expected [" + s.get(0) + ", " + n
                            + ", " + n + "] for cam " + s);
        }
        if (transition.getDataType() != cam.getDataType()) {
            throw new IllegalArgumentException(
                    "Diffusion: transition dtype " + transition.getDataType() + " differs from cam "
                            + cam.getDataType());
        }
    }
}
