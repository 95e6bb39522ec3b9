package org.wsss4j.methods.smaf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.cam.CamKind;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.runtime.Engines;
import org.wsss4j.train.TinyTraining;

class OnlineTeacherTest {
    static final SmafConfig FAST = SelfTrainingHookTest.FAST;

    @BeforeAll
    static void engine() {
        Engines.init();
    }

    @Test
    void chunkingChangesNothingAndTheStepsBatchIsFusedAsScaleFusionDoes() {
        try (VisionTransformer model =
                        new VisionTransformer(SelfTrainingHookTest.TINY, Engines.device(), 8);
                Teacher teacher = Teacher.ofCam(model, CamKind.BASELINE, 3);
                NDManager m = NDManager.newBaseManager(Engines.device())) {
            // Five images: chunks of 2 leave a short last chunk.
            NDArray images = TinyTraining.squares(11, 0, 5, m).images();
            NDArray whole = ScaleFusion.fuse(teacher, images, FAST.scales(), FAST.flip(), 8, 8);
            float[] want = whole.toFloatArray();
            for (int chunk : new int[] {1, 2, 16}) {
                NDArray f = new OnlineTeacher(teacher, FAST, chunk).forStep(3, images, 8, 8, m);
                assertEquals(new Shape(5, whole.getShape().get(1), 8, 8), f.getShape());
                assertFalse(f.hasGradient(), "the maps are detached");
                assertArrayEquals(want, f.toFloatArray(), 1e-6f, "chunk " + chunk);
            }
            assertThrows(IllegalArgumentException.class, () -> new OnlineTeacher(teacher, FAST, 0));
        }
    }

    @Test
    void aHookRefusesAnotherFusion() {
        MapSource none = new MapSource() { // never asked: the check reads no maps
            @Override
            public NDArray gridMaps(NDArray images) {
                throw new AssertionError("no maps are fused to check a fusion");
            }

            @Override
            public PassNorm passNorm() {
                return PassNorm.MIN_MAX;
            }

            @Override
            public int patchSize() {
                return 8;
            }
        };
        OnlineTeacher online = new OnlineTeacher(none, FAST);
        assertSame(none, online.teacher());
        assertSame(online, new SelfTrainingHook(online, null, FAST).maps());
        // The target size is the hook's: another target scale fuses the same way.
        new SelfTrainingHook(online, null, FAST.withTargetScale(4));
        for (SmafConfig other : List.of(FAST.withScales(List.of(1.0)), FAST.withFlip(false))) {
            assertThrows(IllegalArgumentException.class,
                    () -> new SelfTrainingHook(online, null, other), other.toString());
        }
    }
}
