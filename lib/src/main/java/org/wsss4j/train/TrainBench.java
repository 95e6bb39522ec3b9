package org.wsss4j.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.runtime.Seeds;

/**
 * Times full training steps (forward, backward, AdamW) of a model configuration on random data:
 * the figure behind {@code wsss4j bench}. Attention can be requested so the step keeps it, as the
 * methods need.
 */
public final class TrainBench {
    private TrainBench() {}

    /** One configuration's figures. */
    public record Result(
            String preset,
            int numClassTokens,
            int batch,
            int imageSize,
            String device,
            boolean attention,
            double msPerStep,
            double imagesPerSecond,
            long peakNativeBytes,
            int steps) {
        /** One JSON line. */
        public String json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("preset", preset);
            m.put("class_tokens", numClassTokens);
            m.put("batch", batch);
            m.put("input", imageSize);
            m.put("device", device);
            m.put("attention_kept", attention);
            m.put("ms_per_step", Math.round(msPerStep * 100) / 100.0);
            m.put("images_per_s", Math.round(imagesPerSecond * 10) / 10.0);
            m.put("peak_rss_mib", peakNativeBytes < 0 ? -1 : peakNativeBytes >> 20);
            m.put("timed_steps", steps);
            return new com.google.gson.Gson().toJson(m);
        }
    }

    /** Median step time over {@code steps} timed steps after {@code warmup} untimed ones. */
    public static Result run(
            VitConfig cfg, int batch, Device device, boolean keepAttention, int warmup, int steps) {
        TrainConfig tc = new TrainConfig(0, warmup + steps, 1e-4, 0.05, 0, 1.0, 0, 0, 0);
        ForwardRequest req = keepAttention ? ForwardRequest.ATTENTION : ForwardRequest.PLAIN;
        LossHook keep = new LossHook() {
            @Override
            public String name() {
                return "keep";
            }

            @Override
            public ForwardRequest request(long step) {
                return req;
            }

            @Override
            public void addTerms(Context ctx, Map<String, ai.djl.ndarray.NDArray> terms) {}
        };
        int s = cfg.imageSize();
        int c = cfg.numClasses();
        SplittableRandom r = Seeds.random(0, 0, Seeds.Stream.OTHER);
        float[] img = new float[batch * 3 * s * s];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) r.nextGaussian();
        }
        float[] lab = new float[batch * c];
        for (int i = 0; i < lab.length; i++) {
            lab[i] = r.nextInt(10) == 0 ? 1f : 0f;
        }
        double[] ms = new double[steps];
        try (VisionTransformer model = new VisionTransformer(cfg, device, 0);
                TrainLoop loop = new TrainLoop(model, tc, List.of(keep))) {
            for (int k = 0; k < warmup + steps; k++) {
                long t0 = System.nanoTime();
                try (NDManager sm = NDManager.newBaseManager(device);
                        NDScope scope = new NDScope()) {
                    var b = new BatchSource.Batch(
                            sm.create(img, new Shape(batch, 3, s, s)),
                            sm.create(lab, new Shape(batch, c)));
                    loop.step(k, b, sm);
                }
                if (k >= warmup) {
                    ms[k - warmup] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        return new Result(cfg.preset(), cfg.numClassTokens(), batch, s, device.toString(),
                keepAttention, median, batch * 1000.0 / median, NativeMemory.peakResidentBytes(),
                steps);
    }
}
