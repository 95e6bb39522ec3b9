package org.wsss4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.data.GeneratorConfig;
import org.wsss4j.data.IndexedPng.LabelMap;
import org.wsss4j.data.SyntheticGenerator;
import org.wsss4j.data.VocDataset;
import org.wsss4j.runtime.Engines;

class IdealPartMapTest {
    @BeforeAll
    static void engine() {
        Engines.init();
    }

    /** 16×16 image, 8-px tokens: class 3's part fills the top-left token exactly. */
    private static LabelMap topLeftPart() {
        byte[] b = new byte[16 * 16];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                b[y * 16 + x] = 3;
            }
        }
        return new LabelMap(16, 16, b);
    }

    @Test
    void peaksOnThePartTokenAndIsZeroOneTokenAway() {
        try (NDManager m = NDManager.newBaseManager()) {
            ClassMaps maps = IdealPartMap.idealMaps(m, "img", topLeftPart(), new int[] {3, 5}, 8);
            float[] c3 = maps.mapOf(3);
            // min–max divides by max − min + 1e-5, so the top is 1 − 1e-5
            assertEquals(1f, c3[0], 1e-4f, "corner of the part token");
            assertEquals(1f, c3[3 * 16 + 3], 1e-4f, "inside the part token");
            // Bilinear upsampling (align_corners=false) blurs across the token border only.
            assertTrue(c3[7 * 16 + 8] > 0f && c3[7 * 16 + 8] < 1f, "across the border");
            assertEquals(0f, c3[15 * 16 + 15], 1e-6f, "the far token");
            assertEquals(0f, c3[4 * 16 + 13], 1e-6f, "the next token's far half");
            for (float v : maps.mapOf(5)) {
                assertEquals(0f, v, 0f, "a label class without a visible part has an empty map");
            }
        }
    }

    @Test
    void refusesASizeThatIsNotAWholeTokenGrid() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> IdealPartMap.idealMaps(m, "odd", topLeftPart(), new int[] {3}, 6));
            assertTrue(e.getMessage().contains("odd") && e.getMessage().contains("6-px"),
                    e.getMessage());
        }
    }

    @Test
    void measuresOnTrainAugHalvesAndNamesAMissingPartMask(@TempDir Path root)
            throws IOException {
        GeneratorConfig cfg = GeneratorConfig.defaults().withImageSize(48).withSplits(12, 2, 2, 2);
        new SyntheticGenerator(cfg, 3).generate(root, 2);
        VocDataset ds = VocDataset.open(root, "train_aug");
        try (NDManager m = NDManager.newBaseManager()) {
            ThresholdedScore s = IdealPartMap.measure(m, ds, 8);
            assertEquals("train_aug (odd)", s.split());
            assertEquals("train_aug (even)", s.thresholdSplit());
            double p = s.metrics().precision(), r = s.metrics().recall();
            assertTrue(p > 0 && p <= 1 && r > 0 && r <= 1, p + " / " + r);
            // The part is a minority of its object, so a map of the part alone misses body.
            assertTrue(r < 1, "recall " + r);

            Files.delete(root.resolve("SegmentationPart").resolve(ds.id(1) + ".png"));
            IOException e = assertThrows(IOException.class, () -> IdealPartMap.measure(m, ds, 8));
            assertTrue(e.getMessage().contains(ds.id(1))
                    && e.getMessage().contains("SegmentationPart"), e.getMessage());
        }
    }
}
