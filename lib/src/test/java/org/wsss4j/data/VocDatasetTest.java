package org.wsss4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocDatasetTest {
    /** A 3-image VOC tree: a.jpg, b.png, c.png (8x6); masks hold the listed classes. */
    static Path tree(Path root, String maskDir) throws IOException {
        Files.createDirectories(root.resolve("JPEGImages"));
        Files.createDirectories(root.resolve("ImageSets/Segmentation"));
        writeImage(root.resolve("JPEGImages/a.jpg"), 8, 6, "jpg");
        writeImage(root.resolve("JPEGImages/b.png"), 8, 6, "png");
        writeImage(root.resolve("JPEGImages/c.png"), 8, 6, "png");
        mask(root.resolve(maskDir + "/a.png"), 8, 6, 15, 255, 0);
        mask(root.resolve(maskDir + "/b.png"), 8, 6, 0, 0, 0);
        mask(root.resolve(maskDir + "/c.png"), 8, 6, 3, 20, 255);
        Files.writeString(root.resolve("ImageSets/Segmentation/train.txt"), "a\nb\n\nc\n");
        return root;
    }

    static void writeImage(Path f, int w, int h, String format) throws IOException {
        byte[] rgb = new byte[3 * w * h];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 7);
        }
        Files.createDirectories(f.getParent());
        ImageIO.write(new RgbImage(w, h, rgb).toBufferedImage(), format, f.toFile());
    }

    /** Mask: first third of the pixels = a, second = b, rest = c. */
    static void mask(Path f, int w, int h, int a, int b, int c) throws IOException {
        byte[] m = new byte[w * h];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) (i < m.length / 3 ? a : i < 2 * m.length / 3 ? b : c);
        }
        IndexedPng.write(new IndexedPng.LabelMap(w, h, m), f);
    }

    @Test
    void derivesLabelsFromMasksAndReadsJpgAndPng(@TempDir Path tmp) throws Exception {
        VocDataset d = VocDataset.open(tree(tmp, "SegmentationClass"), "train");
        assertEquals(3, d.size());
        assertEquals(List.of("a", "b", "c"), d.ids());
        assertEquals(ClassList.VOC, d.classes());
        assertArrayEquals(new int[] {15}, d.labels(0));
        assertArrayEquals(new int[] {}, d.labels(1));
        assertArrayEquals(new int[] {3, 20}, d.labels(2));
        float[] hot = d.multiHot(2);
        assertEquals(20, hot.length);
        assertEquals(1f, hot[2]);
        assertEquals(1f, hot[19]);
        assertEquals(2f, sum(hot));
        assertTrue(d.imageFile(0).toString().endsWith("a.jpg"));
        RgbImage png = d.readImage(1);
        assertEquals(8, png.width());
        assertEquals(6, png.height());
        assertEquals(7 * 5 & 0xFF, png.at(1, 0, 2), "PNG decodes losslessly in RGB order");
        assertEquals(8, d.readImage(0).width());
        IndexedPng.LabelMap m = d.readMask(0); // pixels 0-15 = 15, 16-31 = 255, rest 0
        assertEquals(15, m.at(7, 1));
        assertEquals(255, m.at(0, 2));
        assertEquals(0, m.at(0, 4));
        assertTrue(d.readInstances(0).isEmpty());
    }

    @Test
    void takesImageLabelsClassNamesAugMasksAndInstances(@TempDir Path tmp) throws Exception {
        Path root = tree(tmp, "SegmentationClassAug");
        Files.write(root.resolve("class_names.txt"), List.of("background", "x", "y", "z"));
        // Masks are only checked against class_names when read; use in-range masks here.
        mask(root.resolve("SegmentationClassAug/a.png"), 8, 6, 1, 0, 255);
        mask(root.resolve("SegmentationClassAug/c.png"), 8, 6, 2, 3, 0);
        Files.writeString(root.resolve("image_labels.txt"), "c 3 2\na 1\nb\nextra 1\n");
        mask(root.resolve("SegmentationObject/c.png"), 8, 6, 1, 2, 0);
        VocDataset d = VocDataset.open(root, "train");
        assertEquals(3, d.classes().numClasses());
        assertArrayEquals(new int[] {1}, d.labels(0));
        assertArrayEquals(new int[] {}, d.labels(1));
        assertArrayEquals(new int[] {2, 3}, d.labels(2));
        assertArrayEquals(new float[] {0, 1, 1}, d.multiHot(2));
        assertTrue(d.maskFile(0).get().toString().contains("SegmentationClassAug"));
        assertEquals(2, d.readInstances(2).get().at(0, 3));
        assertEquals(3, d.readMask(2).at(0, 3));
    }

    @Test
    void segmentationDirOptionAndMasklessTrainingSplit(@TempDir Path tmp) throws Exception {
        Path root = tree(tmp, "SegmentationClass");
        mask(root.resolve("SegmentationClassAug/a.png"), 8, 6, 7, 7, 7);
        mask(root.resolve("SegmentationClassAug/b.png"), 8, 6, 7, 7, 7);
        mask(root.resolve("SegmentationClassAug/c.png"), 8, 6, 7, 7, 7);
        VocDataset aug = VocDataset.open(root, "train",
                VocDataset.Options.defaults().withSegmentationDir("SegmentationClassAug"));
        assertArrayEquals(new int[] {7}, aug.labels(1));

        // VOC train_aug: labels from image_labels.txt, masks exist for only some ids.
        Files.delete(root.resolve("SegmentationClass/b.png"));
        Files.writeString(root.resolve("image_labels.txt"), "a 1\nb 2\nc 3\n");
        VocDataset.Options noMasks = VocDataset.Options.defaults().withRequireMasks(false);
        VocDataset d = VocDataset.open(root, "train", noMasks);
        assertArrayEquals(new int[] {2}, d.labels(1));
        var e = assertThrows(IOException.class, () -> d.readMask(1));
        assertTrue(e.getMessage().contains("b.png") && e.getMessage().contains("missing"),
                e.getMessage());
        e = assertThrows(IOException.class, () -> VocDataset.open(root, "train"));
        assertTrue(e.getMessage().contains("b.png") && e.getMessage().contains("missing"),
                e.getMessage());
    }

    @Test
    void errorsNameTheFileAndTheReason(@TempDir Path tmp) throws Exception {
        assertFails(tmp.resolve("r0"), root -> {}, "val", "val.txt", "split file missing");
        assertFails(tmp.resolve("r1"), root -> Files.delete(root.resolve("JPEGImages/b.png")),
                "train", "b.jpg", "missing");
        assertFails(tmp.resolve("r2"),
                root -> Files.delete(root.resolve("SegmentationClass/c.png")), "train", "c.png",
                "missing");
        assertFails(tmp.resolve("r3"),
                root -> mask(root.resolve("SegmentationClass/b.png"), 8, 6, 0, 21, 0), "train",
                "b.png", "mask value 21");
        assertFails(tmp.resolve("r4"),
                root -> Files.writeString(root.resolve("image_labels.txt"), "a 1\nb 21\nc 3\n"),
                "train", "image_labels.txt:2", "label 21 outside");
        assertFails(tmp.resolve("r5"),
                root -> Files.writeString(root.resolve("image_labels.txt"), "a 1\nc 3\n"),
                "train", "image_labels.txt", "'b'");
        assertFails(tmp.resolve("r6"),
                root -> mask(root.resolve("SegmentationClass/a.png"), 6, 6, 1, 1, 1), "train",
                "a.png", "6x6 but its image");

        // Unreadable image and wrong-size mask surface when the image/mask is read.
        Path root = tree(tmp.resolve("r7"), "SegmentationClass");
        Files.write(root.resolve("JPEGImages/c.png"), "not a png".getBytes(StandardCharsets.UTF_8));
        Files.writeString(root.resolve("image_labels.txt"), "a 15\nb\nc 3 20\n");
        VocDataset d = VocDataset.open(root, "train");
        var e = assertThrows(IOException.class, () -> d.readImage(2));
        assertTrue(e.getMessage().contains("c.png"), e.getMessage());
        mask(root.resolve("SegmentationClass/a.png"), 8, 5, 1, 1, 1);
        e = assertThrows(IOException.class, () -> d.readMask(0));
        assertTrue(e.getMessage().contains("a.png") && e.getMessage().contains("8x5"),
                e.getMessage());
    }

    @Test
    void readsTheGeneratedSyntheticSet(@TempDir Path root) throws Exception {
        GeneratorConfig cfg = GeneratorConfig.defaults().withImageSize(48).withSplits(6, 2, 3, 3);
        SyntheticGenerator g = new SyntheticGenerator(cfg, 4);
        g.generate(root, 2);
        VocDataset val = VocDataset.open(root, "val");
        assertEquals(3, val.size());
        assertEquals(SyntheticClasses.CLASS_LIST.names(), val.classes().names());
        for (int i = 0; i < val.size(); i++) {
            SyntheticScene s = g.scene(6 + i);
            assertEquals(SyntheticGenerator.id(6 + i), val.id(i));
            assertArrayEquals(s.labels(), val.labels(i));
            assertArrayEquals(s.image().rgb(), val.readImage(i).rgb());
            assertArrayEquals(s.classMask().labels(), val.readMask(i).labels());
            assertArrayEquals(s.instanceMask().labels(), val.readInstances(i).get().labels());
        }
        // Labels derived from the masks agree with image_labels.txt.
        Files.delete(root.resolve("image_labels.txt"));
        VocDataset derived = VocDataset.open(root, "val");
        for (int i = 0; i < val.size(); i++) {
            assertArrayEquals(val.labels(i), derived.labels(i));
        }
    }

    interface Breaker {
        void apply(Path root) throws IOException;
    }

    static void assertFails(Path dir, Breaker b, String split, String file, String reason)
            throws IOException {
        Path root = tree(dir, "SegmentationClass");
        b.apply(root);
        var e = assertThrows(IOException.class, () -> VocDataset.open(root, split));
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains(reason),
                "expected '" + file + "' and '" + reason + "' in: " + e.getMessage());
    }

    static float sum(float[] v) {
        float s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
    }
}
