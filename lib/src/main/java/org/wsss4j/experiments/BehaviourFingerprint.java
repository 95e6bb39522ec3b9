package org.wsss4j.experiments;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.wsss4j.data.Augment;
import org.wsss4j.data.GeneratorConfig;
import org.wsss4j.data.RgbImage;
import org.wsss4j.data.SyntheticScene;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.model.VitOutput;
import org.wsss4j.train.BatchSource;
import org.wsss4j.train.TrainConfig;
import org.wsss4j.train.TrainLoop;

/**
 * The "code version" of cached checkpoints, measured instead of declared: a tiny model trains
 * three steps, a forward is taken, an image is rendered and augmented, and the numbers are
 * hashed (rounded to 4 significant digits, so the last bits of a different CPU do not matter).
 * Any change to what the model, the training loop, the generator or the augmentation compute
 * changes the fingerprint and so invalidates every cached warm-up; a refactor that computes the
 * same numbers does not.
 */
public final class BehaviourFingerprint {
    private static String cached;

    private BehaviourFingerprint() {}

    public static synchronized String training() {
        if (cached == null) {
            cached = compute();
        }
        return cached;
    }

    private static String compute() {
        StringBuilder sb = new StringBuilder();
        for (VitConfig.Readout readout : VitConfig.Readout.values()) {
            VitConfig cfg = new VitConfig("fingerprint", 32, 8, 32, 2, 2, 2.0, 3, 3, readout,
                    VitConfig.Stem.PATCH, 0.1);
            TrainConfig tc = new TrainConfig(5, 3, 1e-3, 0.05, 1, 0.1, 1.0, 0.1, 0);
            try (VisionTransformer model = new VisionTransformer(cfg, Device.cpu(), 11);
                    TrainLoop loop = new TrainLoop(model, tc, List.of());
                    NDManager m = NDManager.newBaseManager(Device.cpu())) {
                for (int s = 0; s < 3; s++) {
                    try (NDManager sm = NDManager.newBaseManager(Device.cpu())) {
                        loop.step(s, batch(sm, s), sm);
                    }
                }
                VitOutput o = model.forward(batch(m, 99).images(), ForwardRequest.ALL);
                append(sb, o.classLogits());
                append(sb, o.patchLogits());
                append(sb, o.attention().get(1));
                append(sb, o.attentionLogits().get(0));
                append(sb, o.features());
            }
        }
        GeneratorConfig g = GeneratorConfig.defaults().withImageSize(48);
        SyntheticScene scene = SyntheticScene.render(g, 3, 0);
        RgbImage img = scene.image();
        sb.append(HexFormat.of().formatHex(sha(img.rgb()))).append(';');
        float[] aug = Augment.defaults(40).apply(img, 3, 7, 1);
        for (float v : aug) {
            sb.append(round(v)).append(',');
        }
        return HexFormat.of().formatHex(sha(sb.toString().getBytes(StandardCharsets.UTF_8)))
                .substring(0, 12);
    }

    private static BatchSource.Batch batch(NDManager m, long step) {
        SplittableRandom r = new SplittableRandom(step * 31 + 7);
        float[] img = new float[4 * 3 * 32 * 32];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) (r.nextDouble() * 2 - 1);
        }
        float[] lab = new float[4 * 3];
        for (int i = 0; i < lab.length; i++) {
            lab[i] = r.nextBoolean() ? 1f : 0f;
        }
        return new BatchSource.Batch(m.create(img, new Shape(4, 3, 32, 32)),
                m.create(lab, new Shape(4, 3)));
    }

    private static void append(StringBuilder sb, NDArray a) {
        for (float v : a.toFloatArray()) {
            sb.append(round(v)).append(',');
        }
        sb.append(';');
    }

    private static String round(float v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }

    private static byte[] sha(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
