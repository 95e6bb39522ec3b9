package org.wsss4j.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.wsss4j.runtime.AtomicFiles;

/**
 * {@code image_labels.txt}: one line per image id, {@code <id> <c1> <c2> …}, the 1-based class
 * indices present in the image in ascending order (an image with no object class has its id alone).
 * It replaces the {@code cls_labels.npy} dictionary of the Python repos. The generator, the VOC and
 * COCO converters write it and {@link VocDataset} reads it, all through this class.
 */
public final class ImageLabelsFile {
    /** The file's name at the root of a VOC-layout tree. */
    public static final String NAME = "image_labels.txt";

    private ImageLabelsFile() {}

    /** Writes the labels atomically, one line per id in the map's order, classes ascending. */
    public static void write(Path file, SortedMap<String, int[]> labels) throws IOException {
        List<String> lines = new ArrayList<>(labels.size());
        for (Map.Entry<String, int[]> e : labels.entrySet()) {
            StringBuilder sb = new StringBuilder(e.getKey());
            for (int v : ascending(e.getValue())) {
                sb.append(' ').append(v);
            }
            lines.add(sb.toString());
        }
        AtomicFiles.writeLines(file, lines);
    }

    /**
     * Reads the labels in file order, each image's classes ascending and distinct; fails naming the
     * file and line for a missing file, a duplicate id, a non-number or a class outside
     * 1..numClasses.
     */
    public static Map<String, int[]> read(Path file, int numClasses) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": image label file not found");
        }
        Map<String, int[]> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            int[] classes = new int[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                int c;
                try {
                    c = Integer.parseInt(f[i]);
                } catch (NumberFormatException e) {
                    throw new IOException(
                            file + ":" + (n + 1) + ": label '" + f[i] + "' is not a number");
                }
                if (c < 1 || c > numClasses) {
                    throw new IOException(file + ":" + (n + 1) + ": label " + c
                            + " outside the class list (1.." + numClasses + ")");
                }
                classes[i - 1] = c;
            }
            if (out.put(f[0], ascending(classes)) != null) {
                throw new IOException(file + ":" + (n + 1) + ": id '" + f[0] + "' listed twice");
            }
        }
        return out;
    }

    /** Classes ascending, each once: the file's order whatever order they came in. */
    private static int[] ascending(int[] classes) {
        return Arrays.stream(classes).sorted().distinct().toArray();
    }
}
