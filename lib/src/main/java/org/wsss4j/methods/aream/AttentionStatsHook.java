package org.wsss4j.methods.aream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.wsss4j.cam.AttentionStats;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitOutput;
import org.wsss4j.train.LossHook;

/**
 * An observer: at logging steps it runs one no-grad forward of a fixed {@link ProbeSet} (no drop
 * path) and records per-block attention statistics — the time series behind the "affinity
 * sparsification curves". It adds no loss terms and asks nothing of the training forward, so the
 * run it watches is unchanged.
 */
public final class AttentionStatsHook implements LossHook {
    private final ProbeSet probe;
    private final long from;
    private final long every;
    private final List<BlockStats> series = new ArrayList<>();

    /**
     * @param from first logged step
     * @param every log every this many steps from {@code from} on
     */
    public AttentionStatsHook(ProbeSet probe, long from, long every) {
        if (every < 1) {
            throw new IllegalArgumentException("logging interval must be >= 1, got " + every);
        }
        this.probe = probe;
        this.from = from;
        this.every = every;
    }

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public ForwardRequest request(long step) {
        return ForwardRequest.PLAIN;
    }

    /** True at the steps this hook measures. */
    public boolean logs(long step) {
        return step >= from && (step - from) % every == 0;
    }

    @Override
    public void addTerms(Context ctx, Map<String, NDArray> terms) {
        if (logs(ctx.step())) {
            measure(ctx.model(), ctx.step());
        }
    }

    /**
     * Measures now (e.g. after the last step) and appends to the series; returns this step's
     * rows, one per block.
     */
    public List<BlockStats> measure(VisionTransformer model, long step) {
        List<BlockStats> rows = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(model.device());
                NoGrad ignored = new NoGrad()) {
            VitOutput out = model.forward(probe.images(m), ForwardRequest.ATTENTION);
            int t = out.numClassTokens();
            int hw = out.numPatches();
            int k = Math.max(1, (int) Math.ceil(hw / 10.0));
            boolean[][] bg = probe.background();
            for (int b = 0; b < out.attention().size(); b++) {
                NDArray a = out.attention().get(b);
                double[] inSeg = AttentionStats.inSegmentRatio(a, t, probe.tokenSegments());
                rows.add(new BlockStats(step, b,
                        AttentionStats.patchEntropy(a, t),
                        AttentionStats.gini(a, t),
                        AttentionStats.topKMass(a, t, k),
                        k,
                        t > 1 ? AttentionStats.classAttentionOnBackground(a, t, bg, probe.labels())
                                : Double.NaN,
                        inSeg[0],
                        inSeg[1]));
            }
        }
        series.removeIf(s -> s.step() == step);
        series.addAll(rows);
        return rows;
    }

    /** Everything measured so far, in step then block order. */
    public List<BlockStats> series() {
        return Collections.unmodifiableList(series);
    }
}
