package org.wsss4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLabelsFileTest {
    @Test
    void roundTripSortsClassesAndKeepsEmptyImages(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(ImageLabelsFile.NAME);
        TreeMap<String, int[]> m = new TreeMap<>();
        m.put("b", new int[] {7, 2});
        m.put("a", new int[] {});
        ImageLabelsFile.write(f, m);
        assertEquals("a\nb 2 7\n", Files.readString(f));
        Map<String, int[]> back = ImageLabelsFile.read(f, 20);
        assertEquals(List.of("a", "b"), List.copyOf(back.keySet()));
        assertArrayEquals(new int[] {}, back.get("a"));
        assertArrayEquals(new int[] {2, 7}, back.get("b"));
    }

    @Test
    void readMergesRepeatedClasses(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(ImageLabelsFile.NAME);
        Files.writeString(f, "x 5 3 5\n\n");
        assertArrayEquals(new int[] {3, 5}, ImageLabelsFile.read(f, 20).get("x"));
    }

    @Test
    void badLinesNameTheFileAndLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(ImageLabelsFile.NAME);
        assertMessage(f, "a 1\nb 21\n", 20, ":2: label 21 outside the class list (1..20)");
        assertMessage(f, "a 1\na 2\n", 20, ":2: id 'a' listed twice");
        assertMessage(f, "a one\n", 20, ":1: label 'one' is not a number");
        assertMessage(f, "a 0\n", 20, ":1: label 0 outside");
        IOException missing = assertThrows(IOException.class,
                () -> ImageLabelsFile.read(dir.resolve("none.txt"), 20));
        assertTrue(missing.getMessage().endsWith("none.txt: image label file not found"));
    }

    private static void assertMessage(Path f, String text, int classes, String expected)
            throws IOException {
        Files.writeString(f, text);
        IOException e = assertThrows(IOException.class, () -> ImageLabelsFile.read(f, classes));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(expected),
                e.getMessage());
    }
}
