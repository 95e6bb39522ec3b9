package org.wsss4j.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.wsss4j.runtime.AtomicFiles;

/**
 * The one source of truth for class names: index 0 is background, 1..C are object classes, and
 * {@link #IGNORE} (255) marks pixels that are never scored.
 */
public record ClassList(String name, List<String> names) {
    public static final int IGNORE = 255;

    /** File a data set root may carry to name its classes (one per line, background first). */
    public static final String FILE = "class_names.txt";

    public static final ClassList VOC =
            new ClassList(
                    "voc",
                    List.of(
                            "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus",
                            "car", "cat", "chair", "cow", "diningtable", "dog", "horse",
                            "motorbike", "person", "pottedplant", "sheep", "sofa", "train",
                            "tvmonitor"));

    /** COCO 2014's 80 object classes in category-id order, plus background: 81 in all. */
    public static final ClassList COCO =
            new ClassList(
                    "coco",
                    List.of(
                            "background", "person", "bicycle", "car", "motorcycle", "airplane",
                            "bus", "train", "truck", "boat", "traffic light", "fire hydrant",
                            "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse",
                            "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack",
                            "umbrella", "handbag", "tie", "suitcase", "frisbee", "skis",
                            "snowboard", "sports ball", "kite", "baseball bat", "baseball glove",
                            "skateboard", "surfboard", "tennis racket", "bottle", "wine glass",
                            "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich",
                            "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake",
                            "chair", "couch", "potted plant", "bed", "dining table", "toilet", "tv",
                            "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave",
                            "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase",
                            "scissors", "teddy bear", "hair drier", "toothbrush"));

    public ClassList {
        names = List.copyOf(names);
        if (names.size() < 2 || !"background".equals(names.get(0))) {
            throw new IllegalArgumentException(
                    "class list '" + name + "' must start with 'background' and name >= 1 class");
        }
    }

    /** Number of object classes C (background excluded). */
    public int numClasses() {
        return names.size() - 1;
    }

    /** Number of label values including background: C + 1. */
    public int numLabels() {
        return names.size();
    }

    /** Name of label value {@code index} (0 = background). */
    public String nameOf(int index) {
        return names.get(index);
    }

    /** Label value of a name; fails naming the unknown class. */
    public int indexOf(String className) {
        int i = names.indexOf(className);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "'" + className + "' is not a class of '" + name + "'");
        }
        return i;
    }

    /** Reads {@code root/class_names.txt} when present, else returns {@code fallback}. */
    public static ClassList readOrDefault(Path root, ClassList fallback) throws IOException {
        Path f = root.resolve(FILE);
        if (!Files.exists(f)) {
            return fallback;
        }
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (!l.isBlank()) {
                lines.add(l.trim());
            }
        }
        try {
            return new ClassList(root.getFileName().toString(), lines);
        } catch (IllegalArgumentException e) {
            throw new IOException(f + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code class_names.txt} under {@code root} atomically, one name per line. */
    public void write(Path root) throws IOException {
        AtomicFiles.writeLines(root.resolve(FILE), names);
    }
}
