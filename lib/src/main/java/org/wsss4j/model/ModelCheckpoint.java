package org.wsss4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.wsss4j.runtime.AtomicFiles;

/**
 * Saves and loads a model's parameters as safetensors with timm's key names, written atomically.
 */
public final class ModelCheckpoint {
    private ModelCheckpoint() {}

    public static void save(VisionTransformer model, Path file) throws IOException {
        save(model.parameters(), file);
    }

    /** Writes named tensors atomically (temp file + rename). */
    public static void save(Map<String, NDArray> tensors, Path file) throws IOException {
        NDList list = new NDList();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray a = e.getValue();
            a.setName(e.getKey());
            list.add(a);
        }
        AtomicFiles.write(file, os -> list.encode(os, NDList.Encoding.SAFETENSORS));
    }

    /** Loads parameters saved by {@link #save}; every parameter must be present. */
    public static void load(VisionTransformer model, Path file) throws IOException {
        try (NDManager tmp = NDManager.newBaseManager(model.device())) {
            Map<String, NDArray> w = TimmWeights.read(file, tmp);
            for (String key : model.parameters().keySet()) {
                NDArray v = w.get(key);
                if (v == null) {
                    throw new IOException(file + ": missing key '" + key + "'");
                }
                model.setParameter(key, v);
            }
        }
    }
}
