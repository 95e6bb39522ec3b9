package org.wsss4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.data.weights.DeitWeights;
import org.wsss4j.data.weights.VitSpec;
import org.wsss4j.runtime.Engines;

/** timm's deit_small_patch16_224 key layout (a generated file, shapes only) imports. */
class DeitSmallImportTest {
    @Test
    void deitSmallLayoutImportsIntoTheMctModelAndTheDeitModel(@TempDir Path dir)
            throws IOException {
        Engines.init();
        Path file = dir.resolve("model.safetensors");
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : VitSpec.deitSmall().expectedShapes().entrySet()) {
                // Position embedding gets a recognisable value to check the class-token copy.
                NDArray a = e.getKey().equals("pos_embed")
                        ? m.arange((float) new Shape(e.getValue()).size())
                                .reshape(new Shape(e.getValue()))
                        : m.full(new Shape(e.getValue()), 0.01f);
                tensors.put(e.getKey(), a);
            }
            ModelCheckpoint.save(tensors, file);
        }
        DeitWeights.verify(file); // the download script's check accepts it
        try (VisionTransformer mct = new VisionTransformer(VitConfig.deitSmall(224, 20),
                Device.cpu(), 0)) {
            TimmWeights.Report r = TimmWeights.load(mct, file);
            assertTrue(r.loaded().contains("blocks.11.attn.qkv.weight"));
            assertTrue(r.skipped().contains("head.weight"), "ImageNet head is not the PatchCAM head");
            NDArray pos = mct.parameter("pos_embed");
            assertEquals(new Shape(1, 20 + 196, 384), pos.getShape());
            // every class token's position = timm's single class position (0..383)
            assertEquals(383f, pos.get("0, 19, 383").getFloat(), 0f);
            assertEquals(384f, pos.get("0, 20, 0").getFloat(), 0f); // first patch position
        }
        try (VisionTransformer deit = new VisionTransformer(
                VitConfig.deitSmall(448, 20).withClassTokens(1), Device.cpu(), 0)) {
            TimmWeights.load(deit, file); // 14x14 grid resampled to 28x28
            assertEquals(new Shape(1, 1 + 784, 384), deit.parameter("pos_embed").getShape());
        }
    }
}
