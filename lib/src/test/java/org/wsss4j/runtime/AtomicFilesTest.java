package org.wsss4j.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @Test
    void writesIntoNewFoldersAndReplaces(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a/b/c.txt");
        AtomicFiles.writeLines(f, List.of("x", "y"));
        assertEquals("x\ny\n", Files.readString(f));
        AtomicFiles.writeString(f, "z");
        assertEquals("z", Files.readString(f));
        assertEquals(List.of("c.txt"), names(f.getParent()));
    }

    @Test
    void failedContentKeepsTheOldFileAndLeavesNoTempFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.bin");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[] {9, 9});
            throw new IOException("encoder failed");
        }));
        assertEquals("encoder failed", e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        assertEquals(List.of("t.bin"), names(dir));
    }

    @Test
    void failedMoveLeavesNoTempFile(@TempDir Path dir) throws IOException {
        // The target is a non-empty folder, so the rename must fail.
        Path target = dir.resolve("t.csv");
        Files.createDirectories(target.resolve("inside"));
        assertThrows(IOException.class,
                () -> AtomicFiles.write(target, "x".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("t.csv"), names(dir));
    }

    @Test
    void longNamesStayWithinTheFileSystemLimit(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("n".repeat(240) + ".png");
        AtomicFiles.writeString(f, "ok");
        assertEquals("ok", Files.readString(f));
    }

    @Test
    void copyCopiesTheBytes(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("src.bin");
        Files.write(src, new byte[] {4, 5, 6, 7});
        AtomicFiles.copy(src, dir.resolve("out/dst.bin"));
        assertArrayEquals(new byte[] {4, 5, 6, 7}, Files.readAllBytes(dir.resolve("out/dst.bin")));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
