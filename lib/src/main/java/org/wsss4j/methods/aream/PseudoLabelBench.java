package org.wsss4j.methods.aream;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.wsss4j.runtime.CallTiming;
import org.wsss4j.runtime.Engines;
import org.wsss4j.runtime.Seeds;

/**
 * Times the per-step pseudo label of AReAM's affinity loss, {@link PseudoSegmentation#dual}
 * (PAR's affinity once, its propagation at both background scores, the ignore rule), on the
 * quick profile's workload: a batch of 64 crops of 96 px (PAR on the 48-px half-resolution map),
 * 20 classes, 1–3 label classes per image. It is the largest cost of an AReAM training step on a
 * CPU, so it has its own benchmark; the median of {@code runs} timed calls after {@code warmup}
 * untimed ones, each ending with a read-back.
 */
public final class PseudoLabelBench {
    private PseudoLabelBench() {}

    /**
     * One outcome.
     *
     * @param batch images per call
     * @param size crop side in pixels
     * @param classes classes
     * @param dilations PAR's dilations for the half-resolution map
     * @param iterations PAR's propagation steps
     * @param timing wall time of one call
     * @param device DJL device string
     * @param engine engine name and version
     */
    public record Result(int batch, int size, int classes, int[] dilations, int iterations,
            CallTiming timing, String device, String engine) {

        /** One JSON object, printed on one line. */
        public String toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("bench", "aream-pseudo-label");
            o.addProperty("batch", batch);
            o.addProperty("size", size);
            o.addProperty("classes", classes);
            o.addProperty("dilations", Arrays.toString(dilations));
            o.addProperty("iterations", iterations);
            timing.addTo(o);
            o.addProperty("device", device);
            o.addProperty("engine", engine);
            return o.toString();
        }
    }

    /** The quick profile's workload (64 × 96 px, 20 classes), 2 warm-up + 7 timed calls. */
    public static Result run(Device device) {
        return run(device, 64, 96, 20, 2, 7, 0L);
    }

    /**
     * Times {@code PseudoSegmentation.dual} with the paper's configuration on random images,
     * maps and labels.
     *
     * @param size crop side (even)
     */
    public static Result run(Device device, int batch, int size, int classes, int warmup,
            int runs, long seed) {
        if (runs < 1 || warmup < 0 || batch < 1 || size < 2 || size % 2 != 0 || classes < 3) {
            throw new IllegalArgumentException("PseudoLabelBench: needs runs >= 1, warmup >= 0, "
                    + "batch >= 1, an even size >= 2 and classes >= 3");
        }
        Engine engine = Engines.init();
        AreamConfig cfg = AreamConfig.PAPER;
        try (NDManager m = NDManager.newBaseManager(device)) {
            SplittableRandom r = Seeds.random(seed, 0, Seeds.Stream.OTHER);
            float[] labels = new float[batch * classes];
            for (int i = 0; i < batch; i++) {
                int n = 1 + r.nextInt(3);
                for (int j = 0; j < n; j++) {
                    labels[i * classes + r.nextInt(classes)] = 1;
                }
            }
            NDArray lab = m.create(labels, new Shape(batch, classes));
            NDArray images = m.create(uniform(r, batch * 3 * size * size),
                    new Shape(batch, 3, size, size));
            NDArray cam = m.create(uniform(r, batch * classes * size * size),
                    new Shape(batch, classes, size, size)).mul(lab.reshape(batch, classes, 1, 1));
            CallTiming timing = CallTiming.measure(warmup, runs, () -> {
                // Every intermediate of the call is freed with the scope.
                try (NDScope scope = new NDScope()) {
                    PseudoSegmentation.dual(images, lab, cam, cfg).max().getLong(); // waits
                }
            });
            return new Result(batch, size, classes, Par.scaledDilations(size / 2),
                    cfg.parIterations(), timing, device.toString(),
                    engine.getEngineName() + " " + engine.getVersion());
        }
    }

    private static float[] uniform(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble();
        }
        return v;
    }
}
