package org.wsss4j.methods.acr;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import org.wsss4j.cam.CamOps;
import org.wsss4j.model.DropPath;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitOutput;
import org.wsss4j.train.LossHook;
import org.wsss4j.train.Losses;

/**
 * ACR in training (methods.md §2.3), plugged in through {@link LossHook} with no change to the
 * model. Per step: the loop's forward is view 1 (asked to keep attention); the hook makes view 2
 * (flip and/or photometric jitter, {@link AcrConfig#secondView()}), runs its forward inside the
 * same gradient collector, and adds
 *
 * <pre>
 *   cls2 = MLSM losses of view 2 (class tokens + PatchCAM, as the loop's own loss for view 1)
 *   c2p  = α'  · mean |a¹ − unflip(a²)|   class-to-patch, all C class-token rows, all blocks
 *   p2p  = α'' · mean |P¹ − unflip(P²)|   patch-to-patch, both axes un-flipped
 * </pre>
 *
 * with α', α'' the configured weights rescaled to the token count. The second forward runs even
 * with both terms off, so the two-view baseline row sees the same batches and compute. Both
 * unweighted L1 values are logged every step as metrics {@code l1.c2p} and {@code l1.p2p}
 * (baseline row included: they are what ACR lowers), so both views always keep attention.
 *
 * <p>Stochastic depth: pass the loop's rate; view 2 then draws the same per-sample masks as view
 * 1 (same (seed, step)), so the views differ by the flip only.
 */
public final class AcrHook implements LossHook {
    private final AcrConfig config;
    private final double dropPath;

    /** A hook for a loop without stochastic depth. */
    public AcrHook(AcrConfig config) {
        this(config, 0.0);
    }

    /**
     * @param dropPath the training loop's stochastic-depth rate ({@code TrainConfig.dropPath()})
     */
    public AcrHook(AcrConfig config, double dropPath) {
        if (!(dropPath >= 0 && dropPath < 1)) {
            throw new IllegalArgumentException("dropPath must be in [0, 1), got " + dropPath);
        }
        this.config = config;
        this.dropPath = dropPath;
    }

    public AcrConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "acr";
    }

    @Override
    public ForwardRequest request(long step) {
        return ForwardRequest.ATTENTION;
    }

    /** View 2 of a batch of normalised images [B, 3, H, W]. */
    public NDArray secondView(NDArray images, long seed, long step) {
        NDArray v = config.secondView().flipped() ? CamOps.flipW(images) : images;
        if (config.secondView().photometric()) {
            v = config.jitter().apply(v, seed, step);
        }
        return v;
    }

    @Override
    public void addTerms(Context ctx, Map<String, NDArray> terms) {
        VisionTransformer model = ctx.model();
        int depth = model.config().depth();
        NDArray view2 = secondView(ctx.images(), ctx.seed(), ctx.step());
        DropPath dp = dropPath > 0 ? new DropPath(dropPath, depth, ctx.seed(), ctx.step()) : null;
        VitOutput out2 = model.forward(view2, request(ctx.step()), dp);
        if (config.secondViewLoss()) {
            terms.put("cls2", Losses.baseline(out2, ctx.labels()));
        }
        VitOutput out1 = ctx.output();
        if (out1.attention().size() != depth) {
            throw new IllegalStateException("ACR needs view 1's attention of every block; the"
                    + " loop's forward kept " + out1.attention().size() + " of " + depth);
        }
        int[] blocks = config.blocksFor(depth);
        int t = out1.numClassTokens();
        int gh = out1.gridH();
        int gw = out1.gridW();
        int tokens = t + gh * gw;
        boolean flipped = config.secondView().flipped();
        NDArray c2p = ConsistencyTerms.classToPatch(out1.attention(), out2.attention(), blocks, t,
                gh, gw, flipped);
        NDArray p2p = ConsistencyTerms.patchToPatch(out1.attention(), out2.attention(), blocks, t,
                gh, gw, flipped);
        ctx.metrics().put("l1.c2p", (double) c2p.getFloat());
        ctx.metrics().put("l1.p2p", (double) p2p.getFloat());
        if (config.classToPatch()) {
            terms.put("c2p", c2p.mul((float) config.resolvedAlpha(tokens)));
        }
        if (config.patchToPatch()) {
            terms.put("p2p", p2p.mul((float) config.resolvedAffinityWeight(tokens)));
        }
    }
}
