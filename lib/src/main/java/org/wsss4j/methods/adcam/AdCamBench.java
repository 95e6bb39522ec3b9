package org.wsss4j.methods.adcam;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.util.SplittableRandom;
import org.wsss4j.runtime.CallTiming;
import org.wsss4j.runtime.Engines;
import org.wsss4j.runtime.Seeds;

/**
 * Times {@link AdCam#refine} on the reference workload: 16 maps × 784 tokens (28×28) × 20
 * classes, product refinement + 2 diffusion steps by default; the median of {@code runs} timed
 * calls after {@code warmup} untimed ones. The CPU anchor is PyTorch 2.13 eager at 275 ms on 2
 * cores (same workload). Each timed call ends with a scalar read-back, so asynchronous devices
 * are measured to completion.
 */
public final class AdCamBench {
    /** The anchor this benchmark is compared with (milliseconds, PyTorch 2.13 eager, 2 cores). */
    public static final double ANCHOR_MS = 275.0;

    private AdCamBench() {}

    /**
     * One benchmark outcome.
     *
     * @param config the operator's row label ({@link AdCamConfig#name()})
     * @param batch maps per call (B)
     * @param tokens tokens per map (h·w)
     * @param classes classes per map (C)
     * @param timing wall time of one call
     * @param device DJL device string
     * @param engine engine name and version
     */
    public record Result(
            String config,
            int batch,
            int tokens,
            int classes,
            CallTiming timing,
            String device,
            String engine) {

        /** One JSON object, printed on one line by {@link #main}. */
        public String toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("bench", "adcam-refine");
            o.addProperty("config", config);
            o.addProperty("batch", batch);
            o.addProperty("tokens", tokens);
            o.addProperty("classes", classes);
            timing.addTo(o);
            o.addProperty("device", device);
            o.addProperty("engine", engine);
            o.addProperty("anchor_ms", ANCHOR_MS);
            o.addProperty("anchor", "PyTorch 2.13 eager, 2 CPU cores");
            return o.toString();
        }
    }

    /** The reference workload (16 × 28² × 20, default config, 3 warm-up + 15 timed calls). */
    public static Result run(Device device) {
        return run(device, 16, 28, 20, AdCamConfig.DEFAULT, 3, 15, 0L);
    }

    /**
     * Times {@code AdCam.refine(cam, attention, config)} on random softmax attention and maps.
     *
     * @param device where the arrays live
     * @param batch B
     * @param side h = w, so tokens = side²
     * @param classes C
     * @param config the operator
     * @param warmup untimed calls
     * @param runs timed calls (&ge; 1)
     * @param seed input seed
     */
    public static Result run(
            Device device,
            int batch,
            int side,
            int classes,
            AdCamConfig config,
            int warmup,
            int runs,
            long seed) {
        if (runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("AdCamBench: runs must be >= 1, warmup >= 0");
        }
        Engine engine = Engines.init();
        int n = side * side;
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray attention =
                    m.create(uniform(seed, 0, batch * n * n, 4f), new Shape(batch, n, n))
                            .softmax(-1);
            NDArray cam = m.create(uniform(seed, 1, batch * classes * n, 1f),
                    new Shape(batch, classes, side, side));
            CallTiming timing = CallTiming.measure(warmup, runs, () -> {
                try (NDArray out = AdCam.refine(cam, attention, config);
                        NDArray total = out.sum()) {
                    total.getFloat(); // waits for the device
                }
            });
            return new Result(config.name(), batch, n, classes, timing, device.toString(),
                    engine.getEngineName() + " " + engine.getVersion());
        }
    }

    private static float[] uniform(long seed, long stream, int size, float scale) {
        SplittableRandom r = Seeds.random(seed, stream, Seeds.Stream.OTHER);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (scale * r.nextDouble());
        }
        return v;
    }

    /**
     * Prints one JSON line for the reference workload on {@link Engines#device()}. Optional
     * arguments: {@code --candidate product|min|cosine|none}, {@code --steps T}, {@code --runs R}.
     */
    public static void main(String[] args) {
        AdCamConfig cfg = AdCamConfig.DEFAULT;
        int runs = 15;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("AdCamBench: " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--candidate" -> cfg = cfg.withRefinement(Refinement.parse(args[i + 1]));
                case "--steps" -> cfg = cfg.withSteps(Integer.parseInt(args[i + 1]));
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("AdCamBench: unknown option " + args[i]);
            }
        }
        Engines.init();
        System.out.println(run(Engines.device(), 16, 28, 20, cfg, 3, runs, 0L).toJson());
    }
}
