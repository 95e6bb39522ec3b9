package org.wsss4j.methods.smaf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.cam.CamKind;
import org.wsss4j.cam.CamOps;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.runtime.Engines;
import org.wsss4j.train.TinyTraining;

class ScaleFusionTest {
    static final VitConfig TINY = TinyTraining.tinyVit(0.0);

    @BeforeAll
    static void engine() {
        Engines.init();
    }

    @Test
    void combineSumsThenMaxNormalisesEachClass() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray a = m.create(new float[] {0, 1, 2, 4, 4, 4}, new Shape(1, 2, 1, 3));
            NDArray b = m.create(new float[] {2, 2, 0, 0, 0, 4}, new Shape(1, 2, 1, 3));
            NDArray f = ScaleFusion.combine(List.of(a, b));
            // class 1: [2, 3, 2] / 3; class 2: [4, 4, 8] / 8 — no min subtraction
            assertArrayEquals(new float[] {2 / 3f, 1f, 2 / 3f, 0.5f, 0.5f, 1f},
                    f.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void identicalPassesFuseToTheSinglePassAfterNormalisation() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray raw = m.randomUniform(0f, 5f, new Shape(2, 3, 6, 5));
            NDArray pass = ScaleFusion.normalise(raw, MapSource.PassNorm.MIN_MAX);
            NDArray one = ScaleFusion.combine(List.of(pass));
            NDArray three = ScaleFusion.combine(List.of(pass, pass, pass));
            assertEquals(0f, one.sub(three).abs().max().getFloat(), 1e-4f);
            // After normalisation the single pass is itself up to the 1e-5 guard: max 1, min 0.
            assertEquals(0f, one.sub(CamOps.minMax(raw)).abs().max().getFloat(), 1e-4f);
            NDArray flat = one.reshape(2, 3, 30);
            assertEquals(1f, flat.max(new int[] {2}).min().getFloat(), 1e-4f);
            assertEquals(0f, flat.min(new int[] {2}).max().getFloat(), 1e-6f);
        }
    }

    @Test
    void modelFusionOfRepeatedScaleEqualsSingleScaleAndFlipCommutes() {
        try (VisionTransformer model = new VisionTransformer(TINY, Engines.device(), 5);
                NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
            MapSource cam = MapSource.cam(model, CamKind.BASELINE, 3);
            NDArray single = ScaleFusion.fuse(cam, x, List.of(1.0), false, 32, 32);
            NDArray twice = ScaleFusion.fuse(cam, x, List.of(1.0, 1.0), false, 32, 32);
            assertEquals(new Shape(2, 3, 32, 32), single.getShape());
            assertEquals(0f, single.sub(twice).abs().max().getFloat(), 1e-4f);
            // The fused map at scale 1 is the baseline CAM's min-max map, max-normalised (a
            // no-op but for the 1e-5 guards, which matter on this untrained model's tiny maps).
            NDArray minMax = CamOps.minMax(CamOps.resize(cam.gridMaps(x), 32, 32));
            assertEquals(0f, single.sub(CamOps.maxNorm(minMax)).abs().max().getFloat(), 1e-5f);
            assertEquals(0f, single.sub(minMax).abs().max().getFloat(), 2e-3f);

            // The ViT is not flip-equivariant, but flip fusion is symmetric: fuse(flip x) =
            // flip(fuse x). (Scale 1.5 is left out here: libtorch's 32→48 resize of a flipped
            // image differs from the flipped resize by ~1e-5, which min–max amplifies.)
            List<Double> scales = List.of(0.5, 1.0, 2.0);
            NDArray fused = ScaleFusion.fuse(cam, x, scales, true, 32, 32);
            NDArray fusedOfFlip = ScaleFusion.fuse(cam, CamOps.flipW(x), scales, true, 32, 32);
            assertEquals(0f, fusedOfFlip.sub(CamOps.flipW(fused)).abs().max().getFloat(), 1e-4f);
            assertTrue(fused.min().getFloat() >= 0f && fused.max().getFloat() <= 1f);
            // Several scales differ from one: the fusion is not a no-op.
            assertTrue(fused.sub(ScaleFusion.fuse(cam, x, List.of(1.0), true, 32, 32)).abs()
                    .max().getFloat() > 1e-3f);
        }
    }

    @Test
    void everyScaleIsSeenOnAPatchMultipleGridAndFlipsAreUndone() {
        List<long[]> seen = new ArrayList<>();
        // A source whose map is the input's first channel (patch 1): records each pass's size.
        MapSource echo = new MapSource() {
            public NDArray gridMaps(NDArray images) {
                seen.add(images.getShape().getShape());
                return images.get(":, :1");
            }

            public PassNorm passNorm() {
                return PassNorm.NONE;
            }

            public int patchSize() {
                return 4;
            }
        };
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            float[] v = new float[3 * 8 * 8];
            for (int i = 0; i < 64; i++) {
                v[i] = i % 8; // first channel: x coordinate, so a missed un-flip shows
            }
            NDArray x = m.create(v, new Shape(1, 3, 8, 8));
            NDArray f = ScaleFusion.fuse(echo, x, List.of(1.0, 0.3), true, 8, 8);
            assertEquals(4, seen.size());
            assertArrayEquals(new long[] {1, 3, 8, 8}, seen.get(0));
            assertArrayEquals(new long[] {1, 3, 4, 4}, seen.get(2)); // 0.3·8 rounds up to one patch
            // Scale 1 with its un-flipped twin is 2·x; the 4×4 pass is smooth and increasing too.
            float[] row = f.get("0, 0, 3").toFloatArray();
            for (int i = 1; i < 8; i++) {
                assertTrue(row[i] > row[i - 1], "fused row not increasing: "
                        + java.util.Arrays.toString(row));
            }
            assertEquals(1f, row[7], 1e-4f);
        }
    }

    @Test
    void sharedPassesRunEachForwardOnceAndFuseEverySubsetAsFuseDoes() {
        int[] forwards = {0};
        MapSource counting = new MapSource() {
            public NDArray gridMaps(NDArray images) {
                forwards[0]++;
                return images.get(":, :2").square();
            }

            public PassNorm passNorm() {
                return PassNorm.MIN_MAX;
            }

            public int patchSize() {
                return 2;
            }
        };
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray x = m.randomNormal(new Shape(2, 3, 8, 6));
            Map<Double, ScaleFusion.ScalePass> passes =
                    ScaleFusion.passes(counting, x, List.of(1.0, 0.5, 1.5, 1.0), true, 8, 6);
            assertEquals(6, forwards[0]); // three distinct scales, each with its flip
            for (List<Double> set : List.of(List.of(1.0), List.of(0.5, 1.0, 1.5))) {
                for (boolean flip : new boolean[] {false, true}) {
                    NDArray own = ScaleFusion.fuse(counting, x, set, flip, 8, 6);
                    NDArray shared = ScaleFusion.fuseFrom(passes, set, flip);
                    assertEquals(0f, own.sub(shared).abs().max().getFloat(), 0f, set + " " + flip);
                }
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ScaleFusion.fuseFrom(passes, List.of(1.0, 2.0), false));
            assertTrue(e.getMessage().contains("scale 2.0"), e.getMessage());
            Map<Double, ScaleFusion.ScalePass> plain =
                    ScaleFusion.passes(counting, x, List.of(1.0), false, 8, 6);
            assertThrows(IllegalArgumentException.class,
                    () -> ScaleFusion.fuseFrom(plain, List.of(1.0), true));
        }
    }
}
