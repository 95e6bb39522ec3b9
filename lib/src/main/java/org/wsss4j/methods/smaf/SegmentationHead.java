package org.wsss4j.methods.smaf;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitOutput;
import org.wsss4j.runtime.Seeds;

/**
 * SMAF's new C+1-channel head on the shared base: a 1×1 convolution (a linear map per token) over
 * the final, normalised patch tokens, giving background + C class logits on the token grid. It
 * plays the role of EPS's 21-channel classifier, which the kit's base lacks (methods.md Part 1).
 * It owns its parameters ({@link #WEIGHT}, {@link #BIAS}); a {@link SelfTrainingHook} hands them
 * to the training loop, which trains and checkpoints them with the model.
 */
public final class SegmentationHead implements AutoCloseable {
    public static final String WEIGHT = "smaf.head.weight";
    public static final String BIAS = "smaf.head.bias";

    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final int embedDim;
    private final int numClasses;

    /**
     * A new head, weights truncated-normal (std 0.02, as the kit's other new layers) drawn from
     * {@code seed}, bias 0, on {@code device}.
     */
    public SegmentationHead(int embedDim, int numClasses, Device device, long seed) {
        if (embedDim < 1 || numClasses < 1) {
            throw new IllegalArgumentException(
                    "head needs embedDim >= 1 and numClasses >= 1, got " + embedDim + ", "
                            + numClasses);
        }
        this.embedDim = embedDim;
        this.numClasses = numClasses;
        this.manager = NDManager.newBaseManager(device);
        int out = numClasses + 1;
        SplittableRandom r = Seeds.random(seed, 0, Seeds.Stream.INIT, 0x5A4FL);
        float[] w = new float[out * embedDim];
        for (int i = 0; i < w.length; i++) {
            double z;
            do {
                z = r.nextGaussian();
            } while (Math.abs(z) > 2.0);
            w[i] = (float) (z * 0.02);
        }
        add(WEIGHT, manager.create(w, new Shape(out, embedDim)));
        add(BIAS, manager.zeros(new Shape(out)));
    }

    /** A new head matching {@code model}'s width and class count, on its device. */
    public static SegmentationHead forModel(VisionTransformer model, long seed) {
        return new SegmentationHead(model.config().embedDim(), model.config().numClasses(),
                model.device(), seed);
    }

    private void add(String name, NDArray a) {
        a.setName(name);
        a.setRequiresGradient(true);
        params.put(name, a);
    }

    /** The trainable parameters, by name. Do not close them. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /** C + 1. */
    public int channels() {
        return numClasses + 1;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Logits [B, C+1, gh, gw] from a forward's final patch tokens (channel 0 = background). */
    public NDArray logits(VitOutput out) {
        NDArray f = out.features();
        Shape s = f.getShape();
        if (s.get(2) != embedDim) {
            throw new IllegalArgumentException(
                    "head is " + embedDim + " wide but the tokens are " + s.get(2));
        }
        NDArray patches = f.get(new NDIndex(":, {}:", out.numClassTokens())); // [B, hw, D]
        NDArray z = Linear.linear(patches, params.get(WEIGHT), params.get(BIAS))
                .singletonOrThrow(); // [B, hw, C+1]
        return z.transpose(0, 2, 1).reshape(s.get(0), channels(), out.gridH(), out.gridW());
    }

    /** Softmax over the channels of {@link #logits}. */
    public NDArray probabilities(VitOutput out) {
        return logits(out).softmax(1);
    }

    /**
     * The head's foreground softmax channels [B, C, gh, gw] of {@code model} (used live), as a
     * fusion source: SMAF's pseudo masks (§4.5) and the teacher of rounds ≥ 2.
     */
    public MapSource source(VisionTransformer model) {
        if (model.config().embedDim() != embedDim || model.config().numClasses() != numClasses) {
            throw new IllegalArgumentException("head (" + embedDim + " wide, " + numClasses
                    + " classes) does not fit model " + model.config().preset());
        }
        return new MapSource() {
            @Override
            public NDArray gridMaps(NDArray images) {
                VitOutput out = model.forward(images, ForwardRequest.PLAIN);
                return probabilities(out).get(new NDIndex(":, 1:"));
            }

            @Override
            public PassNorm passNorm() {
                return PassNorm.NONE;
            }

            @Override
            public int patchSize() {
                return model.config().patchSize();
            }
        };
    }

    /** A copy of the current weights that takes no gradient (a teacher's head). */
    public SegmentationHead frozenCopy() {
        SegmentationHead c = new SegmentationHead(embedDim, numClasses, manager.getDevice(), 0);
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray dst = c.params.get(e.getKey());
            dst.set(new NDIndex("..."), e.getValue());
            dst.setRequiresGradient(false);
        }
        return c;
    }

    /** Frees the parameters. */
    @Override
    public void close() {
        manager.close();
    }
}
