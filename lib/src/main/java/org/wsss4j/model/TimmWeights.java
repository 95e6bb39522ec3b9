package org.wsss4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports timm ViT/DeiT weights (safetensors, timm's key names) into a {@link
 * VisionTransformer}. For the MCTformer layout each of the C class tokens (and its position) is
 * initialised from the pretrained one, and the grid position embedding is resampled when the
 * model's grid differs, as MCTformer and timm do. A head whose shape differs (ImageNet's 1000
 * classes) is left at its initialisation.
 */
public final class TimmWeights {
    private TimmWeights() {}

    /** What an import did: the keys taken and the keys deliberately left out. */
    public record Report(List<String> loaded, List<String> skipped) {}

    /** Reads all tensors of a safetensors (or DJL/npz) file by name; fails naming the file. */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": weights file not found");
        }
        NDList list;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            list = NDList.decode(manager, in);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a readable safetensors file (" + e.getMessage()
                    + ")", e);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (NDArray a : list) {
            if (a.getName() == null) {
                throw new IOException(file + ": a tensor has no name; expected timm key names");
            }
            out.put(a.getName(), a);
        }
        return out;
    }

    /** Loads {@code file} into {@code model}; every model parameter must be covered. */
    public static Report load(VisionTransformer model, Path file) throws IOException {
        try (NDManager tmp = NDManager.newBaseManager(model.device())) {
            Map<String, NDArray> w = read(file, tmp);
            return load(model, w, file.toString());
        }
    }

    static Report load(VisionTransformer model, Map<String, NDArray> w, String source)
            throws IOException {
        VitConfig cfg = model.config();
        List<String> loaded = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int t = cfg.numClassTokens();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            String key = e.getKey();
            Shape want = e.getValue().getShape();
            if (key.startsWith("cls_readout.")) {
                skipped.add(key); // the kit's own read-out: starts equal to MCTformer's mean
                continue;
            }
            NDArray src = w.get(key);
            if (src == null && key.startsWith("head.")) {
                skipped.add(key);
                continue;
            }
            if (src == null) {
                throw new IOException(source + ": missing key '" + key + "' (expected shape "
                        + want + ")");
            }
            NDArray value = src;
            if (key.equals("cls_token") && t > 1 && src.getShape().get(1) == 1) {
                value = src.repeat(1, t);
            } else if (key.equals("pos_embed")) {
                value = adaptPosEmbed(src, cfg, source);
            } else if (key.startsWith("head.") && !src.getShape().equals(want)) {
                skipped.add(key); // pretrained classifier for another label set
                continue;
            }
            if (!value.getShape().equals(want)) {
                throw new IOException(source + ": key '" + key + "' has shape " + src.getShape()
                        + ", the model needs " + want);
            }
            model.setParameter(key, value);
            loaded.add(key);
        }
        return new Report(loaded, skipped);
    }

    /** [1, 1 + g0², D] (timm) or [1, T + g0², D] → [1, T + g², D] for the model. */
    private static NDArray adaptPosEmbed(NDArray src, VitConfig cfg, String source)
            throws IOException {
        Shape s = src.getShape();
        int t = cfg.numClassTokens();
        long d = cfg.embedDim();
        if (s.dimension() != 3 || s.get(0) != 1 || s.get(2) != d) {
            throw new IOException(source + ": key 'pos_embed' has shape " + s + ", expected [1, N, "
                    + d + "]");
        }
        long srcTokens = s.get(1);
        int srcCls = -1;
        for (int c : new int[] {t, 1}) {
            long grid = srcTokens - c;
            long side = Math.round(Math.sqrt(grid));
            if (grid > 0 && side * side == grid) {
                srcCls = c;
                break;
            }
        }
        if (srcCls < 0) {
            throw new IOException(source + ": key 'pos_embed' with " + srcTokens
                    + " tokens is not class tokens + a square grid");
        }
        int g0 = (int) Math.round(Math.sqrt(srcTokens - srcCls));
        NDArray cls = src.get(new NDIndex(":, :{}", srcCls));
        if (srcCls != t) {
            cls = cls.repeat(1, t);
        }
        NDArray grid = src.get(new NDIndex(":, {}:", srcCls));
        int g = cfg.gridSize();
        if (g0 != g) {
            NDArray img = grid.reshape(1, g0, g0, d).transpose(0, 3, 1, 2);
            grid = img.getNDArrayInternal()
                    .interpolation(new long[] {g, g}, 3, false)
                    .transpose(0, 2, 3, 1)
                    .reshape(1, (long) g * g, d);
        }
        return NDArrays.concat(new NDList(cls, grid), 1);
    }
}
