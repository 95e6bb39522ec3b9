package org.wsss4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsss4j.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.data.IndexedPng;
import org.wsss4j.data.voc.VocFixtures;

class PrepareCommandTest {
    @TempDir Path tmp;


    @Test
    void prepareVocWritesAndChecksTheTree() throws IOException {
        VocFixtures.write(tmp.resolve("raw"));
        Path out = tmp.resolve("voc");
        CliRun r = run("prepare", "voc", "--voc", tmp.resolve("raw").toString(),
                "--sbd", tmp.resolve("raw").toString(), "--out", out.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("train_aug 4, train 2, val 2 ids"), r.out());
        assertTrue(r.out().contains("checked 6 ids"), r.out());
        assertTrue(Files.exists(out.resolve("ImageSets/Segmentation/train_aug.txt")));

        // Break one listed image: check-tree names it and exits 2.
        Path jpg = tmp.resolve("raw/VOCdevkit/VOC2012/JPEGImages/2011_000001.jpg");
        VocFixtures.jpeg(tmp.resolve("raw/VOCdevkit/VOC2012"), "2011_000001", 60, 40);
        IndexedPng.write(VocFixtures.map(new int[40][60]), out.resolve("SegmentationClassAug/2011_000001.png"));
        byte[] b = Files.readAllBytes(jpg);
        Files.write(jpg, Arrays.copyOf(b, b.length / 2));
        r = run("prepare", "check-tree", out.toString(), "--threads", "1");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("JPEGImages/2011_000001.jpg: corrupt image"), r.err());
    }

    @Test
    void badChoicesAndBadWeightsAreOneLineErrors() throws IOException {
        VocFixtures.write(tmp.resolve("raw"));
        CliRun r = run("prepare", "voc", "--voc", tmp.resolve("raw").toString(),
                "--sbd", tmp.resolve("raw").toString(),
                "--out", tmp.resolve("o").toString(), "--labels", "boxes");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--labels 'boxes': use one of [xml, mask]"), r.err());

        Path f = Files.writeString(tmp.resolve("w.safetensors"), "not weights at all");
        r = run("prepare", "check-weights", f.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(f + ": header length"), r.err());
    }
}
