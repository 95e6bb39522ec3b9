package org.wsss4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoupled-weight-decay Adam (Loshchilov &amp; Hutter) with its moments held as named arrays, so
 * a checkpoint can save them and a resumed run continues exactly (DJL's own optimiser keeps its
 * state private). Biases, norms, the class tokens and the position embedding get no decay, as in
 * timm.
 */
public final class AdamW implements AutoCloseable {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private long updates;

    public AdamW(Map<String, NDArray> params, double weightDecay) {
        this(params, 0.9, 0.999, 1e-8, weightDecay);
    }

    public AdamW(
            Map<String, NDArray> params, double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        NDArray any = params.values().iterator().next();
        this.manager = NDManager.newBaseManager(any.getDevice());
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray m = manager.zeros(e.getValue().getShape());
            NDArray v = manager.zeros(e.getValue().getShape());
            first.put(e.getKey(), m);
            second.put(e.getKey(), v);
        }
    }

    /** timm's no-weight-decay rule: 1-D tensors and the token/position embeddings. */
    public static boolean decays(String name, NDArray p) {
        return p.getShape().dimension() > 1 && !name.equals("pos_embed")
                && !name.equals("cls_token");
    }

    /**
     * One update of every parameter from its gradient. Must run outside a gradient collector;
     * temporaries belong to the caller's scope.
     */
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
        updates++;
        double bc1 = 1 - Math.pow(beta1, updates);
        double bc2 = 1 - Math.pow(beta2, updates);
        float stepSize = (float) (lr / bc1);
        float invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2));
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            String name = e.getKey();
            NDArray p = e.getValue();
            NDArray g = grads.get(name);
            if (g == null) {
                continue;
            }
            NDArray m = first.get(name);
            NDArray v = second.get(name);
            m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
            v.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
            if (weightDecay > 0 && decays(name, p)) {
                p.muli((float) (1 - lr * weightDecay));
            }
            NDArray denom = v.sqrt().muli(invSqrtBc2).addi((float) eps);
            p.subi(m.div(denom).muli(stepSize));
        }
    }

    public long updates() {
        return updates;
    }

    /** Moments by "m.&lt;param&gt;" / "v.&lt;param&gt;" for checkpoints. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> s = new LinkedHashMap<>();
        first.forEach((k, a) -> s.put("m." + k, a));
        second.forEach((k, a) -> s.put("v." + k, a));
        return s;
    }

    /** Restores moments and the update count saved by {@link #state()}. */
    public void restore(Map<String, NDArray> state, long updateCount) {
        restore(state, updateCount, java.util.Set.of());
    }

    /**
     * Restores moments; parameters named in {@code optional} may be absent from {@code state}
     * (a hook's new parameters when a branch starts from the warm-up) and keep zero moments.
     */
    public void restore(Map<String, NDArray> state, long updateCount, java.util.Set<String> optional) {
        for (Map.Entry<String, NDArray> e : state().entrySet()) {
            NDArray src = state.get(e.getKey());
            if (src == null && optional.contains(e.getKey().substring(2))) {
                continue;
            }
            if (src == null) {
                throw new IllegalArgumentException("optimizer state lacks '" + e.getKey() + "'");
            }
            e.getValue().set(new ai.djl.ndarray.index.NDIndex("..."), src);
        }
        this.updates = updateCount;
    }

    @Override
    public void close() {
        manager.close();
    }
}
