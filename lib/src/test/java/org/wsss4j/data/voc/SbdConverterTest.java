package org.wsss4j.data.voc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.data.ClassList;
import org.wsss4j.data.ImageLabelsFile;
import org.wsss4j.data.IndexedPng;

class SbdConverterTest {
    @TempDir Path tmp;

    static SbdConverter.Options opts(SbdConverter.LabelSource src) {
        return new SbdConverter.Options(src, 2, false);
    }

    @Test
    void trainAugIsTheStandardSetAlgebra() {
        assertEquals(VocFixtures.TRAIN_AUG, TrainAugList.compute(
                VocFixtures.SBD_TRAIN, VocFixtures.SBD_VAL, VocFixtures.VOC_TRAIN, VocFixtures.VOC_VAL));
        // A VOC val id in SBD train never leaks into training; a VOC train id not in SBD is kept.
        assertEquals(List.of("a", "c"), TrainAugList.compute(List.of("a", "v"), List.of(), List.of("c"), List.of("v")));
    }

    @Test
    void convertsSbdMatFilesWithVocMasksTakingPrecedence() throws IOException {
        Path[] src = VocFixtures.write(tmp.resolve("raw"));
        // Accepts the parents of the data folders, as the download scripts pass them.
        SbdConverter.Summary s = SbdConverter.convert(
                tmp.resolve("raw"), tmp.resolve("raw/benchmark_RELEASE"), tmp.resolve("voc"),
                opts(SbdConverter.LabelSource.XML));
        Path out = tmp.resolve("voc");
        assertEquals(4, s.trainAug());
        assertEquals(2, s.train());
        assertEquals(2, s.val());
        assertEquals(4, s.masksFromVoc());
        assertEquals(2, s.masksFromSbd());
        assertEquals(1, s.labelsFromMaskFallback());

        assertEquals(VocFixtures.TRAIN_AUG, VocLayout.readList(VocLayout.list(out, "train_aug")));
        assertEquals(VocFixtures.VOC_TRAIN, VocLayout.readList(VocLayout.list(out, "train")));
        assertEquals(VocFixtures.VOC_VAL, VocLayout.readList(VocLayout.list(out, "val")));

        // SBD-only ids: the MAT segmentation, pixel for pixel.
        assertMap(VocFixtures.SBD_2010_000001, IndexedPng.read(out.resolve("SegmentationClassAug/2010_000001.png")));
        assertMap(VocFixtures.SBD_2011_000001, IndexedPng.read(out.resolve("SegmentationClassAug/2011_000001.png")));
        // A VOC id that SBD also has: VOC's own mask, byte for byte (with its 255 boundary).
        Path aug = out.resolve("SegmentationClassAug/2008_000002.png");
        assertMap(VocFixtures.VOC_2008_000002, IndexedPng.read(aug));
        assertEquals(-1L, Files.mismatch(aug, src[0].resolve("SegmentationClass/2008_000002.png")));
        try (var files = Files.list(out.resolve("SegmentationClassAug"))) {
            assertEquals(6, files.count()); // SBD ∪ VOC train ∪ VOC val
        }

        // Image labels: PSA's XML rule (difficult objects count, part names do not), mask fallback.
        Map<String, int[]> labels = ImageLabelsFile.read(out.resolve("image_labels.txt"), 20);
        assertEquals(6, labels.size());
        assertArrayEquals(new int[] {1, 15}, labels.get("2007_000032"));
        assertArrayEquals(new int[] {8}, labels.get("2008_000002"));
        assertArrayEquals(new int[] {12, 15}, labels.get("2010_000001"));
        assertArrayEquals(new int[] {1}, labels.get("2011_000001")); // no XML: from the SBD mask
        assertArrayEquals(new int[] {3}, labels.get("2007_000033"));
        assertArrayEquals(new int[] {18}, labels.get("2009_000001"));

        assertEquals(ClassList.VOC.names(), ClassList.readOrDefault(out, ClassList.COCO).names());
        assertTrue(Files.isSymbolicLink(out.resolve("JPEGImages")));
        assertTrue(VocTreeCheck.check(out, List.of("train_aug", "train", "val"), true, 2).ok());
    }

    @Test
    void maskLabelsComeFromTheAugMasks() throws IOException {
        VocFixtures.write(tmp.resolve("raw"));
        SbdConverter.convert(tmp.resolve("raw/VOCdevkit/VOC2012"), tmp.resolve("raw/benchmark_RELEASE/dataset"),
                tmp.resolve("voc"), opts(SbdConverter.LabelSource.MASK));
        Map<String, int[]> labels = ImageLabelsFile.read(tmp.resolve("voc/image_labels.txt"), 20);
        assertArrayEquals(new int[] {12, 15}, labels.get("2010_000001"));
        assertArrayEquals(new int[] {8}, labels.get("2008_000002")); // 255 is not a class
        assertArrayEquals(new int[] {18}, labels.get("2009_000001"));
    }

    @Test
    void convertingIntoTheVocFolderAddsOnlyTheDerivedFiles() throws IOException {
        Path[] src = VocFixtures.write(tmp.resolve("raw"));
        SbdConverter.convert(src[0], src[1], src[0], opts(SbdConverter.LabelSource.XML));
        assertTrue(Files.isDirectory(src[0].resolve("JPEGImages")) && !Files.isSymbolicLink(src[0].resolve("JPEGImages")));
        assertEquals(VocFixtures.TRAIN_AUG, VocLayout.readList(VocLayout.list(src[0], "train_aug")));
        assertTrue(Files.exists(src[0].resolve("SegmentationClassAug/2011_000001.png")));
    }

    @Test
    void badSbdFilesAreNamed() throws IOException {
        Path[] src = VocFixtures.write(tmp.resolve("raw"));
        VocFixtures.sbdMat(src[1], "2010_000001", new int[][] {{0, 30}, {0, 0}});
        IOException e = assertThrows(IOException.class, () -> SbdConverter.convert(src[0], src[1], tmp.resolve("o"),
                opts(SbdConverter.LabelSource.XML)));
        assertTrue(e.getMessage().contains("2010_000001.mat") && e.getMessage().contains("value 30"), e.getMessage());

        Files.writeString(src[1].resolve("cls/2010_000001.mat"), "MATLAB 5.0 MAT-file, truncated");
        e = assertThrows(IOException.class, () -> SbdConverter.convert(src[0], src[1], tmp.resolve("o2"),
                opts(SbdConverter.LabelSource.XML)));
        assertTrue(e.getMessage().contains("2010_000001.mat"), e.getMessage());

        Files.delete(src[1].resolve("cls/2010_000001.mat"));
        e = assertThrows(IOException.class, () -> SbdConverter.convert(src[0], src[1], tmp.resolve("o3"),
                opts(SbdConverter.LabelSource.XML)));
        assertTrue(e.getMessage().contains("2010_000001.mat") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void wrongFoldersAreReportedWithWhatWasExpected() {
        IOException e = assertThrows(IOException.class, () -> SbdConverter.resolveVocRoot(tmp));
        assertTrue(e.getMessage().contains("JPEGImages"), e.getMessage());
        e = assertThrows(IOException.class, () -> SbdConverter.resolveSbdRoot(tmp));
        assertTrue(e.getMessage().contains("cls/"), e.getMessage());
    }

    static void assertMap(int[][] expect, IndexedPng.LabelMap m) {
        assertEquals(expect.length, m.height());
        assertEquals(expect[0].length, m.width());
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                assertEquals(expect[y][x], m.at(x, y), "pixel x=" + x + ", y=" + y);
            }
        }
    }
}
