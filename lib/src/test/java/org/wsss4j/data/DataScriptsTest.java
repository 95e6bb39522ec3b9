package org.wsss4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The download scripts' verify logic (data-scripts/lib.sh), run by bash on local files: curl reads
 * file:// URLs, so download, resume, checksum refusal and the .verified stamp are exercised for real.
 */
class DataScriptsTest {
    @TempDir Path tmp;
    Path scripts;
    Path src;
    byte[] bytes;

    record Run(int exit, String out) {}

    @BeforeEach
    void setUp() throws IOException {
        scripts = findScripts();
        bytes = new byte[300_000];
        new Random(1).nextBytes(bytes);
        src = Files.write(tmp.resolve("archive.tar"), bytes);
    }

    static Path findScripts() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("data-scripts/lib.sh"))) {
                return p.resolve("data-scripts");
            }
        }
        throw new IllegalStateException("data-scripts/lib.sh not found above " + Path.of("").toAbsolutePath());
    }

    static String hash(String algo, byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algo).digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a bash snippet after sourcing lib.sh, with WSSS4J_HOME in the temp dir. */
    Run bash(String script, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(
                "bash", "-c", "set -euo pipefail; source \"$LIB\"; " + script);
        pb.environment().put("LIB", scripts.resolve("lib.sh").toString());
        pb.environment().put("WSSS4J_HOME", tmp.resolve("home").toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bash did not finish");
        return new Run(p.exitValue(), out);
    }

    Run fetch(String url, Path dest, String algo, String expected) throws Exception {
        return bash("ws_fetch \"$URL\" \"$DEST\" " + algo + " " + expected,
                Map.of("URL", url, "DEST", dest.toString()));
    }

    @Test
    void verifiedDownloadIsStampedAndNotFetchedAgain() throws Exception {
        Path dest = tmp.resolve("home/data/downloads/archive.tar");
        String sha = hash("SHA-256", bytes);
        Run r = fetch(src.toUri().toString(), dest, "sha256", sha);
        assertEquals(0, r.exit(), r.out());
        assertArrayEquals(bytes, Files.readAllBytes(dest));
        assertEquals("sha256 " + sha + " " + bytes.length, Files.readString(tmp.resolve("home/data/downloads/archive.tar.verified")).trim());
        assertFalse(Files.exists(Path.of(dest + ".part")));

        // Second run: the stamp matches, so nothing is downloaded (the URL now points nowhere).
        r = fetch(tmp.resolve("gone.tar").toUri().toString(), dest, "sha256", sha);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("already downloaded and verified"), r.out());
    }

    @Test
    void checksumMismatchIsRefusedWithAClearMessage() throws Exception {
        Path dest = tmp.resolve("home/data/downloads/archive.tar");
        String wrong = hash("MD5", "something else".getBytes(StandardCharsets.UTF_8));
        Run r = fetch(src.toUri().toString(), dest, "md5", wrong);
        assertNotEquals(0, r.exit());
        assertTrue(r.out().contains("checksum mismatch for " + dest + ".part: expected md5 " + wrong), r.out());
        assertTrue(r.out().contains("ERROR: refusing " + src.toUri()), r.out());
        assertTrue(r.out().contains("moved to " + dest + ".corrupt"), r.out());
        assertFalse(Files.exists(dest));
        assertFalse(Files.exists(Path.of(dest + ".verified")));
        assertTrue(Files.exists(Path.of(dest + ".corrupt")));

        // The right checksum then downloads it afresh.
        r = fetch(src.toUri().toString(), dest, "md5", hash("MD5", bytes));
        assertEquals(0, r.exit(), r.out());
        assertArrayEquals(bytes, Files.readAllBytes(dest));
    }

    @Test
    void interruptedDownloadResumes() throws Exception {
        Path dest = tmp.resolve("home/data/downloads/archive.tar");
        Files.createDirectories(dest.getParent());
        Files.write(Path.of(dest + ".part"), Arrays.copyOf(bytes, 120_000));
        // A source whose first 120,000 bytes differ proves the .part was kept, not re-fetched.
        byte[] other = bytes.clone();
        other[10] ^= 1;
        Path src2 = Files.write(tmp.resolve("src2.tar"), other);
        Run r = fetch(src2.toUri().toString(), dest, "sha256", hash("SHA-256", bytes));
        assertEquals(0, r.exit(), r.out());
        assertArrayEquals(bytes, Files.readAllBytes(dest));
    }

    @Test
    void unverifiedFileInTheWayAndFailedDownloadsAreReported() throws Exception {
        Path dest = tmp.resolve("home/data/downloads/archive.tar");
        Files.createDirectories(dest.getParent());
        Files.writeString(dest, "half a file");
        Run r = fetch(src.toUri().toString(), dest, "sha256", hash("SHA-256", bytes));
        assertNotEquals(0, r.exit());
        assertTrue(r.out().contains(dest + " exists but is not the published file"), r.out());

        Path dest2 = tmp.resolve("home/data/downloads/other.tar");
        r = fetch(tmp.resolve("missing.tar").toUri().toString(), dest2, "sha256", hash("SHA-256", bytes));
        assertNotEquals(0, r.exit());
        assertTrue(r.out().contains("download of " + tmp.resolve("missing.tar").toUri() + " failed (curl exit"), r.out());
    }

    @Test
    void extractionRunsOnceAndCountsAreChecked() throws Exception {
        Path content = Files.createDirectories(tmp.resolve("c/VOC/JPEGImages"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(content.resolve(i + ".jpg"), "x");
        }
        Path tar = tmp.resolve("home/data/downloads/v.tar");
        Files.createDirectories(tar.getParent());
        Process p = new ProcessBuilder("tar", "-cf", tar.toString(), "-C", tmp.resolve("c").toString(), "VOC")
                .inheritIO().start();
        assertEquals(0, p.waitFor());
        Files.writeString(Path.of(tar + ".verified"), "md5 x " + Files.size(tar) + "\n");
        Map<String, String> env = Map.of("TAR", tar.toString(), "RAW", tmp.resolve("home/data/raw").toString());
        Run r = bash("ws_extract \"$TAR\" \"$RAW\"; ws_expect_files \"$RAW/VOC/JPEGImages\" '*.jpg' 3", env);
        assertEquals(0, r.exit(), r.out());
        r = bash("ws_extract \"$TAR\" \"$RAW\"", env);
        assertTrue(r.out().contains("already unpacked"), r.out());
        r = bash("ws_expect_files \"$RAW/VOC/JPEGImages\" '*.jpg' 4", env);
        assertNotEquals(0, r.exit());
        assertTrue(r.out().contains("3 files named *.jpg, expected 4"), r.out());

        Files.delete(Path.of(tar + ".verified"));
        r = bash("ws_extract \"$TAR\" \"$RAW/again\"", env);
        assertNotEquals(0, r.exit());
        assertTrue(r.out().contains("refusing to unpack an unverified archive"), r.out());
    }

    /** download-deit-small end to end: hub API JSON and weights from file:// URLs, a stand-in launcher. */
    @Test
    void deitScriptChecksThePublishedDigestThenTheKeys() throws Exception {
        Path weights = Files.write(tmp.resolve("model.safetensors"), bytes);
        String sha = hash("SHA-256", bytes);
        // The shape of the hub's answer to /api/models/<repo>/revision/<rev>?blobs=true.
        String api = "{\"_id\":\"x\",\"id\":\"timm/deit_small_patch16_224.fb_in1k\",\"siblings\":[\n"
                + "{\"rfilename\":\".gitattributes\",\"blobId\":\"a\",\"size\":1477},\n"
                + "{\"rfilename\":\"model.safetensors\",\"blobId\":\"0123456789abcdef0123456789abcdef01234567\","
                + "\"size\":300000,\"lfs\":{\"sha256\":\"" + sha + "\",\"size\":300000,\"pointerSize\":134}},\n"
                + "{\"rfilename\":\"pytorch_model.bin\",\"blobId\":\"b\",\"size\":9,\"lfs\":{\"sha256\":\""
                + "f".repeat(64) + "\",\"size\":9,\"pointerSize\":134}}]}";
        Path apiFile = Files.writeString(tmp.resolve("api.json"), api);
        Path log = tmp.resolve("launcher.log");
        Path launcher = tmp.resolve("wsss4j");
        Files.writeString(launcher, "#!/usr/bin/env bash\necho \"$@\" >> \"" + log + "\"\n");
        launcher.toFile().setExecutable(true);
        Map<String, String> env = Map.of(
                "DEIT_URL", weights.toUri().toString(),
                "DEIT_API_URL", apiFile.toUri().toString(),
                "WSSS4J_LAUNCHER", launcher.toString(),
                "WSSS4J_HOME", tmp.resolve("home").toString());
        Run r = script("download-deit-small", env);
        assertEquals(0, r.exit(), r.out());
        Path dest = tmp.resolve("home/weights/deit_small_patch16_224.fb_in1k/model.safetensors");
        assertArrayEquals(bytes, Files.readAllBytes(dest));
        assertTrue(r.out().contains("published SHA-256 of model.safetensors: " + sha), r.out());
        assertEquals(List.of("prepare check-weights " + dest), Files.readAllLines(log));

        // A digest that does not match is refused before the key check runs.
        Files.delete(dest);
        Files.delete(Path.of(dest + ".verified"));
        Files.writeString(apiFile, api.replace(sha, "0".repeat(64)));
        r = script("download-deit-small", env);
        assertNotEquals(0, r.exit());
        assertTrue(r.out().contains("does not match the published sha256"), r.out());
        assertEquals(1, Files.readAllLines(log).size());
    }

    /** Without a published digest the file is accepted only if the key check passes; no launcher is a clear stop. */
    @Test
    void deitScriptWithoutPublishedDigestRestsOnTheKeyCheck() throws Exception {
        Path weights = Files.write(tmp.resolve("model.safetensors"), bytes);
        Path launcher = tmp.resolve("wsss4j");
        Files.writeString(launcher, "#!/usr/bin/env bash\nexit \"${FAKE_EXIT:-0}\"\n");
        launcher.toFile().setExecutable(true);
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "DEIT_URL", weights.toUri().toString(),
                "DEIT_API_URL", tmp.resolve("no-api.json").toUri().toString(),
                "WSSS4J_LAUNCHER", launcher.toString(),
                "WSSS4J_HOME", tmp.resolve("home").toString(),
                "FAKE_EXIT", "1"));
        Path dest = tmp.resolve("home/weights/deit_small_patch16_224.fb_in1k/model.safetensors");
        Run r = script("download-deit-small", env);
        assertNotEquals(0, r.exit());
        assertTrue(r.out().contains("could not read the published SHA-256"), r.out());
        assertTrue(r.out().contains("refusing " + dest), r.out());
        assertTrue(Files.exists(Path.of(dest + ".corrupt")));

        env.put("FAKE_EXIT", "0");
        Files.delete(Path.of(dest + ".corrupt"));
        r = script("download-deit-small", env);
        assertEquals(0, r.exit(), r.out());
        assertEquals("unpublished " + hash("SHA-256", bytes) + " " + bytes.length,
                Files.readString(Path.of(dest + ".verified")).trim());
        r = script("download-deit-small", env);
        assertTrue(r.out().contains("already downloaded and verified"), r.out());

        env.put("WSSS4J_LAUNCHER", tmp.resolve("nowhere/wsss4j").toString());
        r = script("download-deit-small", env);
        assertNotEquals(0, r.exit());
        assertTrue(r.out().contains("nowhere/wsss4j not found or not executable: build the kit first"), r.out());
        assertTrue(Files.exists(dest), "the verified download is kept");
    }

    Run script(String name, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", scripts.resolve(name).toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }
}
