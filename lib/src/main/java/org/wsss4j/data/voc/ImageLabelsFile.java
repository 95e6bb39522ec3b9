package org.wsss4j.data.voc;

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

/**
 * {@code image_labels.txt}: one line per image id, {@code <id> <c1> <c2> …}, the 1-based class
 * indices present in the image in ascending order (an image with no object class has its id alone).
 * It replaces the {@code cls_labels.npy} dictionary of the Python repos.
 */
public final class ImageLabelsFile {
    private ImageLabelsFile() {}

    /** Writes the labels atomically, one line per id in the map's order. */
    public static void write(Path file, SortedMap<String, int[]> labels) throws IOException {
        List<String> lines = new ArrayList<>(labels.size());
        for (Map.Entry<String, int[]> e : labels.entrySet()) {
            StringBuilder sb = new StringBuilder(e.getKey());
            int[] c = e.getValue().clone();
            Arrays.sort(c);
            for (int v : c) {
                sb.append(' ').append(v);
            }
            lines.add(sb.toString());
        }
        VocLayout.writeLines(file, lines);
    }

    /**
     * Reads the labels; fails naming the file and line for a duplicate id, a non-number or a class
     * outside 1..numClasses.
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
            int[] c = new int[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                try {
                    c[i - 1] = Integer.parseInt(f[i]);
                } catch (NumberFormatException e) {
                    throw new IOException(file + ":" + (n + 1) + ": '" + f[i] + "' is not a class index");
                }
                if (c[i - 1] < 1 || c[i - 1] > numClasses) {
                    throw new IOException(
                            file + ":" + (n + 1) + ": class " + c[i - 1] + " outside 1.." + numClasses);
                }
            }
            if (out.put(f[0], c) != null) {
                throw new IOException(file + ":" + (n + 1) + ": id " + f[0] + " appears twice");
            }
        }
        return out;
    }
}
