package org.wsss4j.cam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.runtime.Engines;
import org.wsss4j.train.TinyTraining;

class ClassActivationTest {
    static final VitConfig TINY = TinyTraining.tinyVit(0.0);

    @BeforeAll
    static void engine() {
        Engines.init();
    }

    @Test
    void classToPatchTakesClassRowsOverPatchColumns() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // 2 class tokens + 4 patches: entry value = 10*row + col, 2 heads (second = +100).
            float[] v = new float[2 * 6 * 6];
            for (int h = 0; h < 2; h++) {
                for (int i = 0; i < 6; i++) {
                    for (int j = 0; j < 6; j++) {
                        v[(h * 6 + i) * 6 + j] = 10 * i + j + 100 * h;
                    }
                }
            }
            NDArray a = m.create(v, new Shape(1, 2, 6, 6));
            NDArray c2p = CamOps.classToPatch(List.of(a), new int[] {0}, 2, 2, 2);
            assertEquals(new Shape(1, 2, 2, 2), c2p.getShape());
            // class 1, patch (1,0) = token 2+2=4: 10*1 + 4 + head mean 50
            assertEquals(64f, c2p.getFloat(0, 1, 1, 0), 1e-5);
            NDArray p2p = CamOps.patchToPatch(List.of(a), new int[] {0}, 2);
            assertEquals(new Shape(1, 4, 4), p2p.getShape());
            assertEquals(10 * 3 + 5 + 50f, p2p.getFloat(0, 1, 3), 1e-5);
        }
    }

    @Test
    void mapsAreNormalisedAndFlipConsistent() {
        try (VisionTransformer model = new VisionTransformer(TINY, Device.cpu(), 3);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
            for (CamKind kind : CamKind.values()) {
                CamConfig cfg = CamConfig.BASELINE.withKind(kind).withScales(List.of(1.0, 0.5));
                NDArray cam = ClassActivation.infer(model, x, cfg);
                assertEquals(new Shape(2, 3, 32, 32), cam.getShape());
                assertTrue(cam.min().getFloat() >= 0f && cam.max().getFloat() <= 1f);
                // min-max with a 1e-5 guard: the peak is 1 up to that guard on small maps
                assertEquals(1f, cam.get("0, 0").max().getFloat(), 1e-2);
                // With flip on, the map of the flipped image is the flipped map.
                NDArray camFlip = ClassActivation.infer(model, CamOps.flipW(x), cfg);
                float d = camFlip.sub(CamOps.flipW(cam)).abs().max().getFloat();
                assertTrue(d < 1e-4, kind + ": flip mismatch " + d);
            }
        }
    }

    @Test
    void inferenceOutputsLiveInTheCallersManagerNotTheModels() {
        try (VisionTransformer model = new VisionTransformer(TINY, Device.cpu(), 3)) {
            NDManager modelManager = model.parameter("cls_token").getManager();
            int before = modelManager.getManagedArrays().size();
            for (int k = 0; k < 3; k++) {
                try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                    ClassActivation.infer(model, m.randomNormal(new Shape(2, 3, 40, 40)),
                            CamConfig.BASELINE.withScales(List.of(1.0, 0.5)));
                }
            }
            // Nothing from the passes (40 px also resamples the position embedding) stays behind.
            assertEquals(before, modelManager.getManagedArrays().size());
        }
    }
}
