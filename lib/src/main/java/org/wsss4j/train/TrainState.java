package org.wsss4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wsss4j.model.ModelCheckpoint;
import org.wsss4j.model.TimmWeights;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.runtime.AtomicFiles;

/**
 * A resumable checkpoint folder: {@code model.safetensors} (timm key names),
 * {@code optimizer.safetensors} (AdamW moments) and {@code state.json} (next step, update count,
 * loss history). {@code state.json} is written last, so a folder without it is incomplete and
 * ignored.
 */
public final class TrainState {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** The JSON part. */
    public record Meta(long nextStep, long optimizerUpdates, String key, List<StepLog> history) {}

    private TrainState() {}

    public static void save(Path dir, VisionTransformer model, AdamW opt, Meta meta)
            throws IOException {
        save(dir, model, Map.of(), opt, meta);
    }

    /** Saves the model, parameters owned by hooks ({@code extra}), the optimiser and the meta. */
    public static void save(
            Path dir, VisionTransformer model, Map<String, NDArray> extra, AdamW opt, Meta meta)
            throws IOException {
        Files.createDirectories(dir);
        // Remove the completion marker first: a crash mid-save must not look complete.
        Files.deleteIfExists(dir.resolve("state.json"));
        ModelCheckpoint.save(model, dir.resolve("model.safetensors"));
        if (extra != null && !extra.isEmpty()) {
            ModelCheckpoint.save(extra, dir.resolve("extra.safetensors"));
        }
        if (opt != null) {
            ModelCheckpoint.save(opt.state(), dir.resolve("optimizer.safetensors"));
        }
        AtomicFiles.writeString(dir.resolve("state.json"), GSON.toJson(meta));
    }

    /** True when {@code dir} holds a complete checkpoint. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve("state.json"))
                && Files.isRegularFile(dir.resolve("model.safetensors"));
    }

    public static Meta readMeta(Path dir) throws IOException {
        Path f = dir.resolve("state.json");
        try {
            Meta m = GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), Meta.class);
            if (m == null) {
                throw new IOException(f + ": empty checkpoint state");
            }
            return new Meta(m.nextStep(), m.optimizerUpdates(), m.key(),
                    m.history() == null ? new ArrayList<>() : new ArrayList<>(m.history()));
        } catch (RuntimeException e) {
            throw new IOException(f + ": unreadable checkpoint state (" + e.getMessage() + ")", e);
        }
    }

    /** Loads parameters (and moments, when {@code opt} is given) and returns the metadata. */
    public static Meta load(Path dir, VisionTransformer model, AdamW opt) throws IOException {
        return load(dir, model, Map.of(), opt);
    }

    /** Loads what {@link #save(Path, VisionTransformer, Map, AdamW, Meta)} wrote. */
    public static Meta load(
            Path dir, VisionTransformer model, Map<String, NDArray> extra, AdamW opt)
            throws IOException {
        Meta meta = readMeta(dir);
        ModelCheckpoint.load(model, dir.resolve("model.safetensors"));
        // A branch that starts from the warm-up has no state for its hooks' new parameters yet.
        boolean fresh = !Files.exists(dir.resolve("extra.safetensors"));
        if (!extra.isEmpty() && !fresh) {
            Path f = dir.resolve("extra.safetensors");
            try (NDManager tmp = NDManager.newBaseManager(model.device())) {
                Map<String, NDArray> w = TimmWeights.read(f, tmp);
                for (Map.Entry<String, NDArray> e : extra.entrySet()) {
                    NDArray v = w.get(e.getKey());
                    if (v == null || !v.getShape().equals(e.getValue().getShape())) {
                        throw new IOException(f + ": missing or mis-shaped key '" + e.getKey() + "'");
                    }
                    NDArray data = e.getValue().stopGradient(); // see AdamW.step
                    data.set(new ai.djl.ndarray.index.NDIndex("..."), v);
                    data.close();
                }
            }
        }
        if (opt != null) {
            Path f = dir.resolve("optimizer.safetensors");
            try (NDManager tmp = NDManager.newBaseManager(model.device())) {
                Map<String, NDArray> s = new LinkedHashMap<>(TimmWeights.read(f, tmp));
                try {
                    opt.restore(s, meta.optimizerUpdates(),
                            fresh ? extra.keySet() : java.util.Set.of());
                } catch (IllegalArgumentException e) {
                    throw new IOException(f + ": " + e.getMessage(), e);
                }
            }
        }
        return meta;
    }
}
