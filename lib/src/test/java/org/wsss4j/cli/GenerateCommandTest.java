package org.wsss4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
    /** Runs the CLI, returning {exit code, stdout, stderr}. */
    static String[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new String[] {
                String.valueOf(code), o.toString(StandardCharsets.UTF_8),
                e.toString(StandardCharsets.UTF_8)
            };
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void generatesTheSmokeProfileAndSkipsWhenUpToDate(@TempDir Path dir) throws Exception {
        String[] r = run("generate", "--profile", "smoke", "--out", dir.toString(), "--seed", "3",
                "--threads", "2");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("Wrote 80 images of 64 px"), r[1]);
        assertTrue(r[1].contains("train_aug=48"), r[1]);
        assertEquals(48, Files.readAllLines(dir.resolve("ImageSets/Segmentation/train_aug.txt")).size());
        assertTrue(Files.readString(dir.resolve("generator.json")).contains("\"seed\": 3"));

        r = run("generate", "--profile", "smoke", "--out", dir.toString(), "--seed", "3",
                "--if-missing");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("up to date"), r[1]);
    }

    @Test
    void realDataProfilesAreRefused(@TempDir Path dir) {
        String[] r = run("generate", "--profile", "voc", "--out", dir.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("'voc'") && r[2].contains("synthetic"), r[2]);
        r = run("generate", "--profile", "tiny", "--out", dir.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("'tiny'"), r[2]);
    }
}
