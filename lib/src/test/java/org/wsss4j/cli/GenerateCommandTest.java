package org.wsss4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsss4j.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
    @Test
    void generatesTheSmokeProfileAndSkipsWhenUpToDate(@TempDir Path dir) throws Exception {
        CliRun r = run("generate", "--profile", "smoke", "--out", dir.toString(), "--seed", "3",
                "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Wrote 80 images of 64 px"), r.out());
        assertTrue(r.out().contains("train_aug=48"), r.out());
        assertEquals(48, Files.readAllLines(dir.resolve("ImageSets/Segmentation/train_aug.txt")).size());
        assertTrue(Files.readString(dir.resolve("generator.json")).contains("\"seed\": 3"));

        r = run("generate", "--profile", "smoke", "--out", dir.toString(), "--seed", "3",
                "--if-missing");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("up to date"), r.out());
        assertTrue(!r.out().contains("Ideal part map"), r.out());

        // The geometry check: a map that is exactly each part, through the 8-px token grid.
        r = run("generate", "--profile", "smoke", "--out", dir.toString(), "--seed", "3",
                "--if-missing", "--ideal-part-map");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*Ideal part map \\(8-px tokens, train_aug \\(odd\\), "
                + "threshold 0\\.\\d\\d from train_aug \\(even\\)\\): precision [01]\\.\\d{3}, "
                + "recall [01]\\.\\d{3} \\([+-]\\d+\\.\\d points\\), mIoU 0\\.\\d{3}\\s*"), r.out());
    }

    @Test
    void realDataProfilesAreRefused(@TempDir Path dir) {
        CliRun r = run("generate", "--profile", "voc", "--out", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'voc'") && r.err().contains("synthetic"), r.err());
        r = run("generate", "--profile", "tiny", "--out", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'tiny'"), r.err());
    }
}
