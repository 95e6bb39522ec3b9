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
import org.wsss4j.eval.ClassMaps;
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

    /** Per image, for each label class, a map that tells image, class and pixel apart. */
    static List<ClassMaps> stored() {
        List<ClassMaps> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            int[] labels = data.labels(i);
            float[][] maps = new float[labels.length][SIDE * SIDE];
            for (int l = 0; l < labels.length; l++) {
                for (int p = 0; p < SIDE * SIDE; p++) {
                    maps[l][p] = (i + 1) / 20f * (labels[l] / 40f + (p % SIDE) / (2f * SIDE));
                }
            }
            out.add(new ClassMaps(data.id(i), SIDE, SIDE, labels, maps));
        }
        return out;
    }

    static OfflineTeacher teacher(TrainBatches b, AtomicInteger calls) {
        return new OfflineTeacher(() -> {
            calls.incrementAndGet();
            return stored();
        }, b, C, SmafConfig.PAPER.scales(), SmafConfig.PAPER.flip());
    }

    @Test
    void withoutAugmentationEachSampleGetsItsImagesMapsInItsLabelChannels() {
        AtomicInteger calls = new AtomicInteger();
        List<ClassMaps> want = stored();
        try (NDManager m = NDManager.newBaseManager(Engines.device());
                TrainBatches b = new TrainBatches(data, Augment.none(SIDE), 4, 3, 0)) {
            OfflineTeacher t = teacher(b, calls);
            assertEquals(0, calls.get(), "nothing is computed before a step asks");
            for (long step = 0; step < 3; step++) {
                float[] f = t.fused(step, SIDE, SIDE, m).toFloatArray();
                int[] idx = b.indices(step);
                for (int j = 0; j < idx.length; j++) {
                    ClassMaps cm = want.get(idx[j]);
                    for (int c = 1; c <= C; c++) {
                        int off = (j * C + c - 1) * SIDE * SIDE;
                        float[] got = Arrays.copyOfRange(f, off, off + SIDE * SIDE);
                        int l = Arrays.binarySearch(cm.classes(), c);
                        float[] expect = l >= 0 ? cm.maps()[l] : new float[SIDE * SIDE];
                        assertArrayEquals(expect, got, 1e-6f, "step " + step + " sample " + j
                                + " class " + c);
                    }
                }
            }
            assertEquals(1, calls.get(), "the maps are made once");
            assertTrue(t.computed());
        }
    }

    @Test
    void augmentedSamplesFollowTheirCropAndTheTargetSizeIsAResize() {
        AtomicInteger calls = new AtomicInteger();
        Augment aug = Augment.defaults(SIDE);
        try (NDManager m = NDManager.newBaseManager(Engines.device());
                TrainBatches b = new TrainBatches(data, aug, 4, 5, 0)) {
            OfflineTeacher t = teacher(b, calls);
            NDArray full = t.fused(2, SIDE, SIDE, m);
            float[] f = full.toFloatArray();
            int[] idx = b.indices(2);
            List<ClassMaps> want = stored();
            for (int j = 0; j < idx.length; j++) {
                ClassMaps cm = want.get(idx[j]);
                int c = cm.classes()[0];
                Augment.Geometry g = aug.geometry(SIDE, SIDE, 5, 2, j);
                float[] w = aug.warp(cm.maps()[0], 1, SIDE, SIDE, g);
                int off = (j * C + c - 1) * SIDE * SIDE;
                assertArrayEquals(w, Arrays.copyOfRange(f, off, off + SIDE * SIDE), 1e-6f);
            }
            assertArrayEquals(CamOps.resize(full, 12, 12).toFloatArray(),
                    t.fused(2, 12, 12, m).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void aWrongMapCountOrAnotherFusionIsRefused() {
        try (NDManager m = NDManager.newBaseManager(Engines.device());
                TrainBatches b = new TrainBatches(data, Augment.none(SIDE), 4, 3, 0)) {
            OfflineTeacher short1 = new OfflineTeacher(() -> stored().subList(0, 3), b, C,
                    SmafConfig.PAPER.scales(), true);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> short1.fused(0, SIDE, SIDE, m));
            assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("of 10"),
                    e.getMessage());
            OfflineTeacher t = teacher(b, new AtomicInteger());
            t.check(SmafConfig.PAPER);
            assertThrows(IllegalArgumentException.class,
                    () -> t.check(SmafConfig.PAPER.withScales(List.of(1.0))));
            assertThrows(IllegalArgumentException.class,
                    () -> t.check(SmafConfig.PAPER.withFlip(false)));
        }
    }
}
