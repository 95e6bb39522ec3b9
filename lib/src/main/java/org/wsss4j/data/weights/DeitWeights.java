package org.wsss4j.data.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.wsss4j.runtime.WsssPaths;

/**
 * Verifies a timm ViT checkpoint in safetensors form against a {@link VitSpec} — by default the
 * DeiT-S weights the {@code voc}/{@code coco} profiles start from (MCTformer's backbone, methods.md
 * §5.1) — from the header alone: every expected key present with its exact shape and a floating
 * dtype, no unexpected key, and the file complete. The first problem fails, naming the file and the
 * key (with the expected and the found shape).
 */
public final class DeitWeights {
    /** The Hugging Face hub repository timm loads {@code deit_small_patch16_224} from. */
    public static final String HUB_REPO = "timm/deit_small_patch16_224.fb_in1k";

    /** The file in that repository. */
    public static final String HUB_FILE = "model.safetensors";

    /** Pinned hub revision (the commit that added the weights) that data-scripts download. */
    public static final String HUB_REVISION = "38e0e3a79073772ea54733b87885d3d7f6348e8a";

    private static final Set<String> FLOAT_TYPES = Set.of("F32", "F16", "BF16", "F64");

    private DeitWeights() {}

    /**
     * Where {@code data-scripts/download-deit-small} puts the weights: {@code
     * $WSSS4J_HOME/weights/deit_small_patch16_224.fb_in1k/model.safetensors}.
     */
    public static Path defaultPath() {
        return WsssPaths.home().resolve("weights").resolve("deit_small_patch16_224.fb_in1k").resolve(HUB_FILE);
    }

    /** Verifies {@code file} against DeiT-S. */
    public static SafetensorsHeader verify(Path file) throws IOException {
        return verify(file, VitSpec.deitSmall());
    }

    /** Verifies {@code file} against {@code spec}; returns the header when every check passes. */
    public static SafetensorsHeader verify(Path file, VitSpec spec) throws IOException {
        SafetensorsHeader h = SafetensorsHeader.read(file);
        Map<String, long[]> expected = spec.expectedShapes();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            SafetensorsHeader.Entry t = h.tensors().get(e.getKey());
            if (t == null) {
                throw new IOException(
                        file + ": missing key '" + e.getKey() + "' (expected shape "
                                + Arrays.toString(e.getValue()) + ") for " + spec);
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new IOException(
                        file + ": key '" + e.getKey() + "' has shape " + t.shapeString() + ", expected "
                                + Arrays.toString(e.getValue()) + " for " + spec);
            }
            if (!FLOAT_TYPES.contains(t.dtype())) {
                throw new IOException(
                        file + ": key '" + e.getKey() + "' has dtype " + t.dtype()
                                + ", expected a floating type (F32, F16, BF16, F64)");
            }
        }
        for (String key : h.tensors().keySet()) {
            if (!expected.containsKey(key)) {
                throw new IOException(
                        file + ": unexpected key '" + key + "' (shape " + h.tensors().get(key).shapeString()
                                + "): not a plain " + spec + " checkpoint (distilled or another model?)");
            }
        }
        return h;
    }
}
