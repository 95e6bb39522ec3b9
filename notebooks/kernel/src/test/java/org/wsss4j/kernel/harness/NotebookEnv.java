package org.wsss4j.kernel.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Where the notebook tests read and write: all under the kernel module's target/. */
public final class NotebookEnv {
    private NotebookEnv() {}

    /** notebooks/kernel/target (Surefire passes it; falls back to the working directory's). */
    public static Path target() {
        return Path.of(System.getProperty("wsss4j.kernel.target", "target")).toAbsolutePath()
                .normalize();
    }

    /** The repository's notebooks/ folder, whose *.ipynb files each become a test. */
    public static Path notebooksDir() {
        return Path.of(System.getProperty("wsss4j.notebooks.dir", "..")).toAbsolutePath()
                .normalize();
    }

    /** The harness's own fixture notebooks (src/test/resources/notebooks). */
    public static Path fixture(String name) {
        return Path.of("src/test/resources/notebooks", name).toAbsolutePath().normalize();
    }

    /** Per-notebook limit in seconds, without the JVM start (pom: wsss4j.notebook.timeout). */
    public static int timeoutSeconds() {
        return Integer.getInteger("wsss4j.notebook.timeout", 60);
    }

    /** Deletes a folder tree if present, so a stale CSV can never satisfy a check. */
    public static void clean(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clean " + dir, e);
        }
    }

    /** CSV files the notebook wrote into its declared folder. */
    public static List<Path> csvFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".csv")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
