package org.wsss4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsss4j.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.data.ClassList;
import org.wsss4j.data.IndexedPng;
import org.wsss4j.data.IndexedPng.LabelMap;

class EvalCommandTest {

    private static void mask(Path file, int w, int... v) throws IOException {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        IndexedPng.write(new LabelMap(w, v.length / w, b), file);
    }

    /**
     * Classes background, cat, dog. Image a: gt [0 0 1 1], pred [0 1 1 1]; image b: gt [0 2 2
     * 255], pred [0 2 0 1]. Confusion [gt][pred]: bg→bg 2, bg→cat 1, cat→cat 2, dog→dog 1,
     * dog→bg 1. IoU bg 2/(3+3−2) = 0.5, cat 2/(2+3−2) = 2/3, dog 1/(2+1−1) = 0.5.
     */
    private static Path vocRoot(Path dir) throws IOException {
        Path root = dir.resolve("VOC2012");
        new ClassList("toy", List.of("background", "cat", "dog")).write(root);
        mask(root.resolve("SegmentationClass/a.png"), 2, 0, 0, 1, 1);
        mask(root.resolve("SegmentationClass/b.png"), 2, 0, 2, 2, 255);
        mask(dir.resolve("pred/a.png"), 2, 0, 1, 1, 1);
        mask(dir.resolve("pred/b.png"), 2, 0, 2, 0, 1);
        return root;
    }

    @Test
    void scoresAVocRootAndWritesCsv(@TempDir Path dir) throws IOException {
        Path root = vocRoot(dir);
        Path csv = dir.resolve("out/scores.csv");
        CliRun r = run("eval", "--pred", dir.resolve("pred").toString(), "--gt", root.toString(),
                "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("scored 2 images, 7 pixels"), r.out());
        assertTrue(r.out().contains("SegmentationClass"), r.out());
        assertTrue(r.out().matches("(?s).*2\\s+dog\\s+0\\.5000\\s+0\\.5000.*"), r.out());
        double miou = (0.5 + 2.0 / 3 + 0.5) / 3;
        assertTrue(r.out().contains(String.format("mIoU      %.4f", miou)), r.out());
        // precision: 4 predicted fg, 3 on gt fg; recall: 4 gt fg, 3 predicted fg.
        assertTrue(r.out().contains("precision 0.7500"), r.out());
        assertTrue(r.out().contains("recall    0.7500"), r.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("metric,label,class,value", lines.get(0));
        assertEquals("iou,1,cat,0.6667", lines.get(2));
        assertTrue(lines.contains(String.format("mIoU,,,%.4f", miou)), lines.toString());
    }

    @Test
    void conventionsDifferAndSplitListSelectsIds(@TempDir Path dir) throws IOException {
        Path root = vocRoot(dir);
        Path list = dir.resolve("train.txt");
        Files.writeString(list, "# one image\n/JPEGImages/a.jpg /SegmentationClass/a.png\n");
        CliRun r = run("eval", "--pred", dir.resolve("pred").toString(), "--gt", root.toString(),
                "--split-list", list.toString());
        assertEquals(0, r.code(), r.err());
        // Only image a: dog has an empty union → n/a in the main convention, 0 in MCTformer's.
        assertTrue(r.out().matches("(?s).*2\\s+dog\\s+n/a\\s+0\\.0000.*"), r.out());
        assertTrue(r.out().contains(String.format("mIoU      %.4f", (0.5 + 2.0 / 3) / 2)), r.out());
        assertTrue(r.out().contains(String.format("mIoU_mct  %.4f", (0.5 + 2.0 / 3) / 3)), r.out());
    }

    @Test
    void fallsBackToSegmentationClassAugAndPlainFolders(@TempDir Path dir) throws IOException {
        Path root = vocRoot(dir);
        mask(root.resolve("SegmentationClassAug/a.png"), 2, 0, 0, 1, 1);
        mask(root.resolve("SegmentationClassAug/b.png"), 2, 0, 2, 2, 255);
        mask(root.resolve("SegmentationClassAug/c.png"), 2, 0, 0, 0, 0);
        mask(dir.resolve("pred/c.png"), 2, 0, 0, 0, 0);
        CliRun r = run("eval", "--pred", dir.resolve("pred").toString(), "--gt", root.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("SegmentationClassAug"), r.out());
        // A plain mask folder with an explicit class file.
        Files.writeString(dir.resolve("names.txt"), "background\ncat\ndog\n");
        r = run("eval", "--pred", dir.resolve("pred").toString(), "--gt",
                root.resolve("SegmentationClassAug").toString(), "--classes", dir.resolve("names.txt").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("scored 3 images, 11 pixels"), r.out());
        assertTrue(r.out().contains("classes 'names.txt'"), r.out());
    }

    @Test
    void badInputNamesTheFile(@TempDir Path dir) throws IOException {
        Path root = vocRoot(dir);
        Path pred = dir.resolve("pred");
        // A prediction without ground truth.
        mask(pred.resolve("zz.png"), 2, 0, 0, 0, 0);
        CliRun r = run("eval", "--pred", pred.toString(), "--gt", root.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("zz.png") && r.err().contains("ground truth missing"), r.err());
        Files.delete(pred.resolve("zz.png"));
        // Size mismatch.
        mask(pred.resolve("a.png"), 4, 0, 0, 0, 0);
        r = run("eval", "--pred", pred.toString(), "--gt", root.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("a.png: prediction is 4x1"), r.err());
        // A value outside the classes, in the prediction.
        mask(pred.resolve("a.png"), 2, 0, 0, 5, 1);
        r = run("eval", "--pred", pred.toString(), "--gt", root.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(pred.resolve("a.png") + ": predicted value 5"), r.err());
        // With the VOC default classes the same value would be fine: 21 labels.
        Files.delete(root.resolve(ClassList.FILE));
        r = run("eval", "--pred", pred.toString(), "--gt", root.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("classes 'voc'"), r.out());
    }
}
