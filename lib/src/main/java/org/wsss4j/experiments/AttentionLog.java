package org.wsss4j.experiments;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.wsss4j.cam.AttentionStats;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.train.LossHook;
import org.wsss4j.train.StepLog;

/**
 * An observer hook: every {@code every} steps it logs each block's mean patch-to-patch row
 * entropy on the training batch ("attn.entropy.&lt;block&gt;"), so entropy over training is part of
 * every run's history (gate 4; AReAM's premise). Adds no loss term.
 */
public final class AttentionLog implements LossHook {
    public static final String NAME = "attn";
    private final int every;

    public AttentionLog(int every) {
        this.every = Math.max(1, every);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ForwardRequest request(long step) {
        return step % every == 0 ? ForwardRequest.ATTENTION : ForwardRequest.PLAIN;
    }

    @Override
    public void addTerms(Context ctx, Map<String, NDArray> terms) {
        if (ctx.step() % every != 0) {
            return;
        }
        List<NDArray> attn = ctx.output().attention();
        for (int b = 0; b < attn.size(); b++) {
            ctx.metrics().put("entropy." + b,
                    AttentionStats.patchEntropy(attn.get(b), ctx.output().numClassTokens()));
        }
    }

    /** Per block, the (step, entropy) series found in a history. */
    public static Map<Integer, List<double[]>> entropySeries(List<StepLog> history) {
        Map<Integer, List<double[]>> out = new TreeMap<>();
        String prefix = NAME + ".entropy.";
        for (StepLog s : history) {
            for (Map.Entry<String, Double> e : s.terms().entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    int b = Integer.parseInt(e.getKey().substring(prefix.length()));
                    out.computeIfAbsent(b, k -> new ArrayList<>())
                            .add(new double[] {s.step(), e.getValue()});
                }
            }
        }
        return out;
    }
}
