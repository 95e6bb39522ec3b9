package org.wsss4j.data.voc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.wsss4j.data.ClassList;
import org.wsss4j.data.ImageLabelsFile;
import org.wsss4j.data.IndexedPng;

/**
 * Validates a prepared VOC-layout tree before anything trains on it: every id of the checked lists
 * has an image that decodes <i>completely</i> and a mask of the same size, and a line in {@code
 * image_labels.txt} with classes in range. A truncated JPEG is the usual failure of an interrupted
 * copy; Java's decoder only warns about it and hands back a grey-padded image, so decoder warnings
 * count as errors here.
 */
public final class VocTreeCheck {
    /** One problem with one file. */
    public record Problem(String id, Path file, String message) {
        @Override
        public String toString() {
            return file + ": " + message + " (id " + id + ")";
        }
    }

    /** The outcome: how many ids were checked and every problem found. */
    public record Report(Path root, int checked, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }

        /** The first {@code max} problems, one per line. */
        public String describe(int max) {
            StringBuilder sb = new StringBuilder();
            sb.append(root).append(": ").append(problems.size()).append(" problem(s) in ")
                    .append(checked).append(" ids");
            for (int i = 0; i < Math.min(max, problems.size()); i++) {
                sb.append('\n').append("  ").append(problems.get(i));
            }
            if (problems.size() > max) {
                sb.append("\n  … and ").append(problems.size() - max).append(" more");
            }
            return sb.toString();
        }

        /** Throws an IOException listing the problems unless there are none. */
        public Report orThrow() throws IOException {
            if (!ok()) {
                throw new IOException(describe(20));
            }
            return this;
        }
    }

    private VocTreeCheck() {}

    /**
     * Checks the ids of {@code splits} (list files under ImageSets/Segmentation; a missing list is a
     * problem).
     *
     * @param decodeImages fully decode every JPEG (finds truncation); otherwise read the header only
     */
    public static Report check(Path root, List<String> splits, boolean decodeImages, int threads)
            throws IOException {
        List<Problem> problems = Collections.synchronizedList(new ArrayList<>());
        Set<String> ids = new LinkedHashSet<>();
        for (String split : splits) {
            Path list = VocLayout.list(root, split);
            if (!Files.isRegularFile(list)) {
                problems.add(new Problem("-", list, "split list '" + split + "' not found"));
                continue;
            }
            ids.addAll(VocLayout.readList(list));
        }
        ClassList classes = ClassList.readOrDefault(root, ClassList.VOC);
        Path labelsFile = root.resolve(ImageLabelsFile.NAME);
        Map<String, int[]> labels = Map.of();
        try {
            labels = ImageLabelsFile.read(labelsFile, classes.numClasses());
        } catch (IOException e) {
            problems.add(new Problem("-", labelsFile, e.getMessage()));
        }
        Map<String, int[]> labelMap = labels;
        ParallelFiles.forEach(
                new ArrayList<>(ids),
                threads,
                null,
                id -> checkOne(root, id, decodeImages, labelMap, problems));
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort((a, b) -> a.id().compareTo(b.id()));
        return new Report(root, ids.size(), List.copyOf(sorted));
    }

    private static void checkOne(
            Path root, String id, boolean decode, Map<String, int[]> labels, List<Problem> problems) {
        if (!labels.isEmpty() && !labels.containsKey(id)) {
            problems.add(new Problem(id, root.resolve(ImageLabelsFile.NAME), "no image-level label line"));
        }
        Path img = VocLayout.image(root, id);
        int[] size = null;
        if (!Files.isRegularFile(img)) {
            problems.add(new Problem(id, img, "image missing"));
        } else {
            try {
                size = imageSize(img, decode);
            } catch (IOException e) {
                problems.add(new Problem(id, img, e.getMessage()));
            }
        }
        Path mask = VocLayout.maskOf(root, id);
        if (mask == null) {
            problems.add(
                    new Problem(
                            id,
                            root.resolve(VocLayout.MASKS).resolve(id + ".png"),
                            "mask missing (also not in " + VocLayout.MASKS_AUG + ")"));
            return;
        }
        try {
            IndexedPng.LabelMap m = IndexedPng.read(mask);
            if (size != null && (m.width() != size[0] || m.height() != size[1])) {
                problems.add(
                        new Problem(
                                id,
                                mask,
                                "mask is " + m.width() + "x" + m.height() + " but the image is " + size[0]
                                        + "x" + size[1]));
            }
        } catch (IOException e) {
            problems.add(new Problem(id, mask, e.getMessage()));
        }
    }

    /**
     * Width and height of an image; with {@code decode} the whole image is decoded and any decoder
     * warning (truncation, corrupt data) is an error naming the file.
     */
    public static int[] imageSize(Path file, boolean decode) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IOException("cannot open image");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("not an image format Java can read");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((src, w) -> warnings.add(w));
                int w = reader.getWidth(0), h = reader.getHeight(0);
                if (decode) {
                    reader.read(0);
                    if (!warnings.isEmpty()) {
                        throw new IOException("corrupt image: " + String.join("; ", warnings));
                    }
                }
                return new int[] {w, h};
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new IOException(m.startsWith("corrupt") || m.startsWith("not an") || m.startsWith("cannot")
                    ? m
                    : "undecodable image (" + m + ")", e);
        } catch (RuntimeException e) {
            throw new IOException("undecodable image (" + e + ")", e);
        }
    }
}
