package org.wsss4j.methods.aream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.wsss4j.cam.AttentionStats;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitOutput;
import org.wsss4j.train.LossHook;
import org.wsss4j.train.StepLog;

/**
 * An observer: at logging steps it runs one no-grad forward of a fixed {@link ProbeSet} (no drop
 * path) and records per-block attention statistics — the time series behind the "affinity
 * sparsification curves". It adds no loss terms and asks nothing of the training forward, so the
 * run it watches is unchanged. The values go into the step's metrics ({@code
 * probe.<statistic>.<block>}), so they are saved with the checkpoint's history and a cached run
 * still has its curves ({@link #fromHistory}).
 */
public final class AttentionStatsHook implements LossHook {
    /** Hook name: the prefix of its metrics in step logs. */
    public static final String NAME = "probe";

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
        return NAME;
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
            for (BlockStats b : measure(ctx.model(), ctx.step())) {
                put(ctx.metrics(), "entropy", b.block(), b.entropy());
                put(ctx.metrics(), "gini", b.block(), b.gini());
                put(ctx.metrics(), "topKMass", b.block(), b.topKMass());
                put(ctx.metrics(), "topK", b.block(), b.topK());
                put(ctx.metrics(), "classAttnOnBackground", b.block(),
                        b.classAttentionOnBackground());
                put(ctx.metrics(), "objectInSegment", b.block(), b.objectInSegment());
                put(ctx.metrics(), "backgroundInSegment", b.block(), b.backgroundInSegment());
            }
        }
    }

    /**
     * Measures now (e.g. after the last step) and appends to the series; returns this step's
     * rows, one per block.
     */
    public List<BlockStats> measure(VisionTransformer model, long step) {
        List<BlockStats> rows = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(model.device());
                NoGrad ignored = new NoGrad();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
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

    /** NaN (a statistic without data) is left out: the checkpoint's JSON cannot hold it. */
    private static void put(Map<String, Double> metrics, String stat, int block, double v) {
        if (Double.isFinite(v)) {
            metrics.put(stat + "." + block, v);
        }
    }

    /** The statistics logged by this hook in a run's history (missing values are NaN). */
    public static List<BlockStats> fromHistory(List<StepLog> history) {
        String prefix = NAME + ".";
        List<BlockStats> out = new ArrayList<>();
        for (StepLog s : history) {
            Map<Integer, Map<String, Double>> perBlock = new TreeMap<>();
            for (Map.Entry<String, Double> e : s.terms().entrySet()) {
                String k = e.getKey();
                if (!k.startsWith(prefix)) {
                    continue;
                }
                String rest = k.substring(prefix.length());
                int dot = rest.lastIndexOf('.');
                int block = Integer.parseInt(rest.substring(dot + 1));
                perBlock.computeIfAbsent(block, b -> new HashMap<>())
                        .put(rest.substring(0, dot), e.getValue());
            }
            for (Map.Entry<Integer, Map<String, Double>> e : perBlock.entrySet()) {
                Map<String, Double> v = e.getValue();
                out.add(new BlockStats(s.step(), e.getKey(),
                        v.getOrDefault("entropy", Double.NaN),
                        v.getOrDefault("gini", Double.NaN),
                        v.getOrDefault("topKMass", Double.NaN),
                        v.getOrDefault("topK", 0.0).intValue(),
                        v.getOrDefault("classAttnOnBackground", Double.NaN),
                        v.getOrDefault("objectInSegment", Double.NaN),
                        v.getOrDefault("backgroundInSegment", Double.NaN)));
            }
        }
        return out;
    }

    /** What this instance measured so far (this process only; see {@link #fromHistory}). */
    public List<BlockStats> series() {
        return Collections.unmodifiableList(series);
    }
}
