package org.wsss4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.data.ImageLabelsFile;
import org.wsss4j.data.RgbImage;
import org.wsss4j.data.VocDataset;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.runtime.Engines;

class EqualSizeBatchesTest {
    @BeforeAll
    static void engine() {
        Engines.init();
    }

    @Test
    void cutsReadBatchesIntoContiguousEqualSizeRunsAtPatchMultiples(@TempDir Path root)
            throws IOException {
        // Sizes (w x h) in split order; read 3 at a time, patch 8.
        int[][] sizes = {{8, 6}, {8, 6}, {12, 10}, {8, 6}, {20, 4}};
        Files.createDirectories(root.resolve(VocDataset.IMAGE_DIR));
        Files.createDirectories(root.resolve(VocDataset.SPLIT_DIR));
        StringBuilder ids = new StringBuilder();
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            RgbImage img = new RgbImage(sizes[i][0], sizes[i][1],
                    new byte[3 * sizes[i][0] * sizes[i][1]]);
            ImageIO.write(img.toBufferedImage(), "png",
                    root.resolve(VocDataset.IMAGE_DIR).resolve("i" + i + ".png").toFile());
            ids.append("i").append(i).append('\n');
            labels.append("i").append(i).append(" 1\n");
        }
        Files.writeString(root.resolve(VocDataset.SPLIT_DIR).resolve("val.txt"), ids);
        Files.writeString(root.resolve(ImageLabelsFile.NAME), labels);
        VocDataset ds = VocDataset.open(root, "val", new VocDataset.Options(null, false));
        VitConfig cfg = VitConfig.tinySynth(32, 20);
        assertEquals(8, cfg.patchSize());

        List<String> runs = new ArrayList<>();
        List<String> picked = new ArrayList<>();
        try (VisionTransformer model = new VisionTransformer(cfg, Device.cpu(), 0)) {
            // A subset, walked in the given order: runs are cut where the size changes in the
            // subset, and first is a position in it.
            int[] subset = {0, 3, 4, 1};
            EqualSizeBatches.forEach(model, ds, subset, 3, (x, first, originals) -> {
                long[] s = x.getShape().getShape();
                for (RgbImage o : originals) {
                    assertEquals(sizes[subset[first]][0], o.width());
                }
                picked.add(first + ":" + s[0] + "x" + s[3] + "x" + s[2]);
            });
            EqualSizeBatches.forEach(model, ds, 3, (x, first, originals) -> {
                long[] s = x.getShape().getShape();
                assertEquals(originals.size(), s[0]);
                assertEquals(3, s[1]);
                for (RgbImage o : originals) {
                    assertEquals(sizes[first][0], o.width());
                    assertEquals(sizes[first][1], o.height());
                }
                runs.add(first + ":" + s[0] + "x" + s[3] + "x" + s[2]);
            });
        }
        // Rounded to the nearest patch multiple, never below one patch.
        assertArrayEquals(new String[] {"0:2x8x8", "2:1x16x8", "3:1x8x8", "4:1x24x8"},
                runs.toArray(new String[0]));
        assertArrayEquals(new String[] {"0:2x8x8", "2:1x24x8", "3:1x8x8"},
                picked.toArray(new String[0]));
    }
}
