package org.wsss4j.methods.smaf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.cam.CamOps;
import org.wsss4j.data.Augment;
import org.wsss4j.data.GeneratorConfig;
import org.wsss4j.data.SyntheticGenerator;
import org.wsss4j.data.TrainBatches;
import org.wsss4j.data.VocDataset;
import org.wsss4j.runtime.Engines;

class OfflineTeacherTest {
    static final int SIDE = 48;
    static final int C = GeneratorConfig.NUM_CLASSES;
    @TempDir static Path root;
    static VocDataset data;

    @BeforeAll
    static void makeData() throws IOException {
        Engines.init();
        new SyntheticGenerator(
                GeneratorConfig.defaults().withImageSize(SIDE).withSplits(10, 4, 2, 2), 1)
                .generate(root, 2);
        data = VocDataset.open(root, "train_aug");
    }

    /**
     * Per image, C planes of side {@code side} over the image that tell image, class and position
     * apart; absent classes are not zero (the "without denoise" rows need them).
     */
    static List<OfflineTeacher.Fused> stored(int side) {
        List<OfflineTeacher.Fused> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            float[] maps = new float[C * side * side];
            for (int c = 0; c < C; c++) {
                for (int p = 0; p < side * side; p++) {
                    maps[c * side * side + p] =
                            (i + 1) / 20f * ((c + 1) / 40f + (p % side) / (2f * side));
                }
            }
            out.add(new OfflineTeacher.Fused(SIDE, SIDE, side, side, maps));
        }
        return out;
    }

    /** {@code all}'s maps of the images {@code need}, in that order. */
    static List<OfflineTeacher.Fused> pick(List<OfflineTeacher.Fused> all, int[] need) {
        List<OfflineTeacher.Fused> out = new ArrayList<>();
        for (int i : need) {
            out.add(all.get(i));
        }
        return out;
    }

    /** A teacher serving steps 0..2. */
    static OfflineTeacher teacher(TrainBatches b, AtomicInteger calls, int side) {
        return new OfflineTeacher(need -> {
            calls.incrementAndGet();
            return pick(stored(side), need);
        }, b, 0, 3, C, SmafConfig.PAPER);
    }

    @Test
    void onlyTheImagesTheServedStepsDrawAreFusedAndOtherStepsAreRefused() {
        // 10 images, batch 4: steps 2 and 3 (samples 8..15) cross the epoch boundary at sample 10.
        try (NDManager m = NDManager.newBaseManager(Engines.device());
                TrainBatches b = new TrainBatches(data, Augment.none(SIDE), 4, 3, 0)) {
            List<int[]> asked = new ArrayList<>();
            OfflineTeacher t = new OfflineTeacher(need -> {
                asked.add(need);
                return pick(stored(SIDE), need);
            }, b, 2, 4, C, SmafConfig.PAPER);
            java.util.TreeSet<Integer> drawn = new java.util.TreeSet<>();
            for (long step = 2; step < 4; step++) {
                for (int i : b.indices(step)) {
                    drawn.add(i);
                }
            }
            int[] want = drawn.stream().mapToInt(Integer::intValue).toArray();
            assertArrayEquals(want, t.imagesNeeded());
            assertTrue(want.length < data.size(), "two steps of 4 draw fewer than 10 images");
            int plane = C * SIDE * SIDE;
            for (long step = 2; step < 4; step++) {
                float[] f = t.fused(step, SIDE, SIDE, m).toFloatArray();
                int[] idx = b.indices(step);
                for (int j = 0; j < idx.length; j++) {
                    assertArrayEquals(stored(SIDE).get(idx[j]).maps(),
                            Arrays.copyOfRange(f, j * plane, (j + 1) * plane), 1e-6f);
                }
            }
            assertEquals(1, asked.size());
            assertArrayEquals(want, asked.get(0));
            for (long outside : new long[] {1, 4}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> t.fused(outside, SIDE, SIDE, m));
                assertTrue(e.getMessage().contains("step " + outside)
                        && e.getMessage().contains("2..3"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class,
                    () -> new OfflineTeacher(need -> List.of(), b, 4, 4, C, SmafConfig.PAPER));
        }
    }

    @Test
    void withoutAugmentationEachSampleGetsItsImagesMapsInEveryChannel() {
        AtomicInteger calls = new AtomicInteger();
        List<OfflineTeacher.Fused> want = stored(SIDE);
        try (NDManager m = NDManager.newBaseManager(Engines.device());
                TrainBatches b = new TrainBatches(data, Augment.none(SIDE), 4, 3, 0)) {
            OfflineTeacher t = teacher(b, calls, SIDE);
            assertEquals(0, calls.get(), "nothing is computed before a step asks");
            for (long step = 0; step < 3; step++) {
                float[] f = t.fused(step, SIDE, SIDE, m).toFloatArray();
                int[] idx = b.indices(step);
                int plane = C * SIDE * SIDE;
                for (int j = 0; j < idx.length; j++) {
                    assertArrayEquals(want.get(idx[j]).maps(),
                            Arrays.copyOfRange(f, j * plane, (j + 1) * plane), 1e-6f,
                            "step " + step + " sample " + j);
                }
            }
            assertEquals(1, calls.get(), "the maps are made once");
            assertTrue(t.computed());
        }
    }

    @Test
    void augmentedSamplesFollowTheirCropFromTheCoarseGridAndTheTargetSizeIsAResize() {
        AtomicInteger calls = new AtomicInteger();
        Augment aug = Augment.defaults(SIDE);
        int grid = 12; // a map four times coarser than the image, as the target's grid is
        try (NDManager m = NDManager.newBaseManager(Engines.device());
                TrainBatches b = new TrainBatches(data, aug, 4, 5, 0)) {
            OfflineTeacher t = teacher(b, calls, grid);
            NDArray full = t.fused(2, SIDE, SIDE, m);
            float[] f = full.toFloatArray();
            int[] idx = b.indices(2);
            List<OfflineTeacher.Fused> want = stored(grid);
            int plane = C * SIDE * SIDE;
            for (int j = 0; j < idx.length; j++) {
                Augment.Geometry g = aug.geometry(SIDE, SIDE, 5, 2, j);
                float[] w = aug.warp(want.get(idx[j]).maps(), C, grid, grid, g);
                assertArrayEquals(w, Arrays.copyOfRange(f, j * plane, (j + 1) * plane), 1e-6f);
                // Inside the image the coarse map is resampled, not zeroed: a class's plane grows
                // left to right unless flipped.
                int c = 3, row = SIDE / 2, off = j * plane + c * SIDE * SIDE + row * SIDE;
                float left = f[off + SIDE / 2 - 4], right = f[off + SIDE / 2 + 4];
                assertTrue(g.flip() ? left > right : right > left, "sample " + j);
            }
            assertArrayEquals(CamOps.resize(full, 12, 12).toFloatArray(),
                    t.fused(2, 12, 12, m).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void aWrongMapCountOrAnotherFusionIsRefused() {
        try (NDManager m = NDManager.newBaseManager(Engines.device());
                TrainBatches b = new TrainBatches(data, Augment.none(SIDE), 4, 3, 0)) {
            OfflineTeacher short1 = new OfflineTeacher(need -> stored(4).subList(0, 3), b, 0, 3,
                    C, SmafConfig.PAPER);
            int needed = short1.imagesNeeded().length;
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> short1.fused(0, SIDE, SIDE, m));
            assertTrue(e.getMessage().contains("3 images")
                    && e.getMessage().contains("the " + needed + " images that steps 0..2"),
                    e.getMessage());
            OfflineTeacher fewPlanes = new OfflineTeacher(need -> pick(stored(4), need), b, 0, 3,
                    C + 1, SmafConfig.PAPER);
            e = assertThrows(IllegalStateException.class, () -> fewPlanes.fused(0, 8, 8, m));
            assertTrue(e.getMessage().contains("expected " + (C + 1)), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> new OfflineTeacher.Fused(SIDE, SIDE, 5, 5, new float[24]));
            OfflineTeacher t = teacher(b, new AtomicInteger(), 4);
            t.check(SmafConfig.PAPER);
            assertThrows(IllegalArgumentException.class,
                    () -> t.check(SmafConfig.PAPER.withScales(List.of(1.0))));
            assertThrows(IllegalArgumentException.class,
                    () -> t.check(SmafConfig.PAPER.withFlip(false)));
            assertThrows(IllegalArgumentException.class,
                    () -> t.check(SmafConfig.PAPER.withTargetScale(4)));
        }
    }

    @Test
    void aHookRefusesAnotherFusionAndTheStepMustMatchTheBatchOrder() {
        try (NDManager m = NDManager.newBaseManager(Engines.device());
                TrainBatches b = new TrainBatches(data, Augment.none(SIDE), 4, 3, 0)) {
            OfflineTeacher t = teacher(b, new AtomicInteger(), 4);
            new SelfTrainingHook(t, null, SmafConfig.PAPER);
            for (SmafConfig other : List.of(SmafConfig.PAPER.withScales(List.of(1.0)),
                    SmafConfig.PAPER.withFlip(false), SmafConfig.PAPER.withTargetScale(4))) {
                assertThrows(IllegalArgumentException.class,
                        () -> new SelfTrainingHook(t, null, other), other.toString());
            }
            // Through the interface: the batch order's maps, checked against the batch's size.
            NDArray images = m.zeros(new ai.djl.ndarray.types.Shape(4, 3, SIDE, SIDE));
            assertArrayEquals(t.fused(1, 8, 8, m).toFloatArray(),
                    t.forStep(1, images, 8, 8, m).toFloatArray(), 0f);
            NDArray three = m.zeros(new ai.djl.ndarray.types.Shape(3, 3, SIDE, SIDE));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> t.forStep(1, three, 8, 8, m));
            assertTrue(e.getMessage().contains("step 1 has 4 samples")
                    && e.getMessage().contains("3 in the training batch"), e.getMessage());
        }
    }
}
