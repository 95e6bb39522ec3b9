package org.wsss4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wsss4j.model.DropPath;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitOutput;

/**
 * The kit's multilabel training loop: baseline loss (MCTformer-V2: class-token + PatchCAM
 * multilabel soft-margin) plus whatever the {@link LossHook}s add, AdamW with warm-up + cosine,
 * optional gradient clipping, resumable checkpoints. Every NDArray of a step lives in that step's
 * scope and is freed when the step ends.
 */
public final class TrainLoop implements AutoCloseable {
    private final VisionTransformer model;
    private final TrainConfig config;
    private final List<LossHook> hooks;
    private final AdamW optimizer;
    private final List<StepLog> history = new ArrayList<>();
    private final Map<String, NDArray> params;

    public TrainLoop(VisionTransformer model, TrainConfig config, List<LossHook> hooks) {
        this.model = model;
        this.config = config;
        this.hooks = List.copyOf(hooks);
        this.params = new LinkedHashMap<>(model.parameters());
        for (LossHook h : this.hooks) {
            for (Map.Entry<String, NDArray> e : h.parameters().entrySet()) {
                if (params.putIfAbsent(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException("hook '" + h.name() + "' parameter '"
                            + e.getKey() + "' clashes with an existing parameter");
                }
            }
        }
        this.optimizer = new AdamW(params, config.weightDecay());
    }

    /** Every trained parameter: the model's, then the hooks' own. */
    public Map<String, NDArray> trainedParameters() {
        return java.util.Collections.unmodifiableMap(params);
    }

    public VisionTransformer model() {
        return model;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /** Every step's log so far (including steps restored from a checkpoint). */
    public List<StepLog> history() {
        return history;
    }

    /** One optimisation step on {@code batch}; returns its log. */
    public StepLog step(long step, BatchSource.Batch batch, NDManager stepManager) {
        long t0 = System.nanoTime();
        ForwardRequest req = ForwardRequest.PLAIN;
        for (LossHook h : hooks) {
            req = req.or(h.request(step));
        }
        DropPath dp =
                config.dropPath() > 0
                        ? new DropPath(config.dropPath(), model.config().depth(), config.seed(), step)
                        : null;
        Map<String, Double> logged = new LinkedHashMap<>();
        double lossValue;
        Map<String, NDArray> grads = new LinkedHashMap<>();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            VitOutput out = model.forward(batch.images(), req, dp);
            boolean replaced = hooks.stream().anyMatch(LossHook::replacesClassificationLoss);
            NDArray loss;
            if (replaced) {
                loss = stepManager.zeros(new ai.djl.ndarray.types.Shape());
            } else {
                loss = Losses.baseline(out, batch.labels());
                logged.put("cls", (double) loss.getFloat());
            }
            Map<String, NDArray> terms = new LinkedHashMap<>();
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (LossHook h : hooks) {
                terms.clear();
                metrics.clear();
                LossHook.Context ctx =
                        new LossHook.Context(model, batch.images(), batch.labels(), out, step,
                                config.seed(), stepManager, metrics, dp != null);
                h.addTerms(ctx, terms);
                metrics.forEach((k, v) -> logged.put(h.name() + "." + k, v));
                for (Map.Entry<String, NDArray> t : terms.entrySet()) {
                    loss = loss.add(t.getValue());
                    logged.put(h.name() + "." + t.getKey(), (double) t.getValue().getFloat());
                }
            }
            lossValue = loss.getFloat();
            if (!Double.isFinite(lossValue)) {
                throw new IllegalStateException("loss is " + lossValue + " at step " + step
                        + " (terms " + logged + "): lower the learning rate or check the data");
            }
            gc.backward(loss);
        }
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray g = e.getValue().getGradient();
            g.attach(stepManager); // the wrapper is per call; free it with the step
            grads.put(e.getKey(), g);
        }
        if (config.clipNorm() > 0) {
            clip(grads, config.clipNorm());
        }
        double lr = config.schedule().at(step);
        optimizer.step(params, grads, lr);
        for (NDArray g : grads.values()) {
            g.subi(g); // gradients accumulate in libtorch; reset for the next step
        }
        StepLog log = new StepLog(step, lossValue, logged, lr, (System.nanoTime() - t0) / 1e6);
        history.add(log);
        return log;
    }

    private static void clip(Map<String, NDArray> grads, double maxNorm) {
        double sq = 0;
        for (NDArray g : grads.values()) {
            sq += g.square().sum().getFloat();
        }
        double norm = Math.sqrt(sq);
        if (norm > maxNorm) {
            float s = (float) (maxNorm / (norm + 1e-6));
            for (NDArray g : grads.values()) {
                g.muli(s);
            }
        }
    }

    /**
     * Runs steps [from, to) and checkpoints into {@code checkpointDir} (if non-null) every
     * {@code checkpointEvery} steps and at the end.
     */
    public void run(
            BatchSource data,
            long from,
            long to,
            Path checkpointDir,
            String key,
            String task,
            int batchSize)
            throws IOException {
        try (Progress bar = new Progress(task, from, to, batchSize)) {
            for (long s = from; s < to; s++) {
                StepLog log;
                try (NDManager sm = NDManager.newBaseManager(model.device());
                        NDScope scope = new NDScope()) {
                    BatchSource.Batch b = data.get(s, sm);
                    log = step(s, b, sm);
                }
                bar.step(s, log.loss());
                boolean last = s == to - 1;
                int every = config.checkpointEvery();
                if (checkpointDir != null && (last || (every > 0 && (s + 1) % every == 0))) {
                    saveCheckpoint(checkpointDir, s + 1, key);
                }
            }
        }
    }

    private Map<String, NDArray> hookParameters() {
        Map<String, NDArray> extra = new LinkedHashMap<>(params);
        extra.keySet().removeAll(model.parameters().keySet());
        return extra;
    }

    public void saveCheckpoint(Path dir, long nextStep, String key) throws IOException {
        TrainState.save(dir, model, hookParameters(), optimizer,
                new TrainState.Meta(nextStep, optimizer.updates(), key, history));
    }

    /** Restores a checkpoint; returns the step to continue from. */
    public long resume(Path dir) throws IOException {
        TrainState.Meta meta = TrainState.load(dir, model, hookParameters(), optimizer);
        history.clear();
        history.addAll(meta.history());
        return meta.nextStep();
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
