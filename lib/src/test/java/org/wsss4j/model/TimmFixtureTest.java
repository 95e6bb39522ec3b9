package org.wsss4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.runtime.Engines;

/**
 * Acceptance test: timm's own forward of ../shared/fixtures/timm-vit (timm 1.0.29) is reproduced
 * to 1e-4 — logits, features and every block's attention, at 64 px and (resampled) 96 px.
 */
class TimmFixtureTest {
    static final Path FIXTURE = Fixtures.timmVit();
    static final VitConfig CFG =
            new VitConfig("fixture", 64, 8, 64, 3, 4, 4.0, 5, 1, VitConfig.Readout.MEAN,
                    VitConfig.Stem.PATCH, 0.0);

    @Test
    void reproducesTimmAt64And96() throws IOException {
        Engines.init();
        try (VisionTransformer model = new VisionTransformer(CFG, Device.cpu(), 0);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            TimmWeights.Report r = TimmWeights.load(model, FIXTURE.resolve("weights.safetensors"));
            assertEquals(model.parameters().size(), r.loaded().size());
            Map<String, NDArray> ref =
                    TimmWeights.read(FIXTURE.resolve("reference.safetensors"), m);
            for (int size : new int[] {64, 96}) {
                VitOutput out = model.forward(ref.get("input_" + size), ForwardRequest.ALL);
                assertClose(ref.get("logits_" + size), out.classLogits(), "logits_" + size);
                assertClose(ref.get("features_" + size), out.features(), "features_" + size);
                for (int b = 0; b < 3; b++) {
                    String k = "attn_" + size + "_block" + b;
                    assertClose(ref.get(k), out.attention().get(b), k);
                }
                assertEquals(3, out.attentionLogits().size());
            }
        }
    }

    @Test
    void mctLayoutInitialisesEveryClassTokenFromThePretrainedOne() throws IOException {
        Engines.init();
        VitConfig mct = CFG.withClassTokens(5);
        try (VisionTransformer model = new VisionTransformer(mct, Device.cpu(), 0);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            TimmWeights.Report r = TimmWeights.load(model, FIXTURE.resolve("weights.safetensors"));
            assertTrue(r.skipped().contains("head.weight"), "PatchCAM head is not ImageNet's");
            Map<String, NDArray> w = TimmWeights.read(FIXTURE.resolve("weights.safetensors"), m);
            NDArray cls = model.parameter("cls_token");
            assertEquals(5, cls.getShape().get(1));
            for (int c = 0; c < 5; c++) {
                float diff = cls.get(":, " + c).sub(w.get("cls_token").get(":, 0")).abs().max()
                        .getFloat();
                assertEquals(0f, diff, 0f);
            }
            assertEquals(5 + 64, model.parameter("pos_embed").getShape().get(1));
        }
    }

    @Test
    void badInputNamesFileAndKey(@TempDir Path dir) throws IOException {
        Engines.init();
        try (VisionTransformer model = new VisionTransformer(CFG, Device.cpu(), 0)) {
            IOException missing =
                    assertThrows(IOException.class,
                            () -> TimmWeights.load(model, dir.resolve("nope.safetensors")));
            assertTrue(missing.getMessage().contains("nope.safetensors"));

            Path junk = dir.resolve("junk.safetensors");
            Files.writeString(junk, "not a tensor file");
            IOException bad = assertThrows(IOException.class, () -> TimmWeights.load(model, junk));
            assertTrue(bad.getMessage().contains("junk.safetensors"), bad.getMessage());

            VitConfig wider = CFG.withShape(8, 32, 3, 4);
            try (VisionTransformer other = new VisionTransformer(wider, Device.cpu(), 0)) {
                IOException shape = assertThrows(IOException.class,
                        () -> TimmWeights.load(other, FIXTURE.resolve("weights.safetensors")));
                assertTrue(shape.getMessage().contains("'patch_embed.proj.weight'"),
                        shape.getMessage());
            }
        }
    }

    static void assertClose(NDArray want, NDArray got, String what) {
        assertEquals(want.getShape(), got.getShape(), what + " shape");
        float err = want.sub(got).abs().max().getFloat();
        assertTrue(err <= 1e-4f, what + ": max abs error " + err);
    }
}
