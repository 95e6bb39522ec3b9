package org.wsss4j.data.voc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.wsss4j.runtime.AtomicFiles;

/**
 * The VOC-layout tree every prepared data set (VOC + SBD, COCO) is written in, and which the kit's
 * reader consumes:
 *
 * <pre>
 * root/
 *   JPEGImages/&lt;id&gt;.jpg              images (for COCO: links to the unpacked train2014/val2014 files)
 *   SegmentationClass/&lt;id&gt;.png       palette PNG label maps (0 background, 1..C, 255 ignore)
 *   SegmentationClassAug/&lt;id&gt;.png    VOC only: SBD masks for every SBD id, VOC's own for VOC ids
 *   ImageSets/Segmentation/&lt;split&gt;.txt one id per line (train_aug, train, val)
 *   image_labels.txt                  "&lt;id&gt; &lt;c1&gt; &lt;c2&gt; …": 1-based classes present, one line per id
 *   class_names.txt                   background first (see {@link org.wsss4j.data.ClassList})
 * </pre>
 *
 * Text files are written atomically (temp file + rename).
 */
public final class VocLayout {
    public static final String IMAGES = "JPEGImages";
    public static final String MASKS = "SegmentationClass";
    public static final String MASKS_AUG = "SegmentationClassAug";
    public static final String ANNOTATIONS = "Annotations";
    public static final String LISTS = "ImageSets/Segmentation";

    private VocLayout() {}

    public static Path image(Path root, String id) {
        return root.resolve(IMAGES).resolve(id + ".jpg");
    }

    public static Path list(Path root, String split) {
        return root.resolve(LISTS).resolve(split + ".txt");
    }

    /**
     * The mask of {@code id}: {@code SegmentationClass/<id>.png} when present, else {@code
     * SegmentationClassAug/<id>.png} (SBD-only ids of train_aug have only the latter); {@code null}
     * when neither exists.
     */
    public static Path maskOf(Path root, String id) {
        Path a = root.resolve(MASKS).resolve(id + ".png");
        if (Files.exists(a)) {
            return a;
        }
        Path b = root.resolve(MASKS_AUG).resolve(id + ".png");
        return Files.exists(b) ? b : null;
    }

    /** Reads an id list (one id per line, blank lines ignored); fails naming a missing file. */
    public static List<String> readList(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": id list not found");
        }
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.trim();
            if (!t.isEmpty()) {
                if (t.contains(" ") || t.contains("\t")) {
                    throw new IOException(file + ": line '" + t + "' is not a single id");
                }
                ids.add(t);
            }
        }
        return ids;
    }

    /** Writes an id list atomically, one id per line, in the given order. */
    public static void writeList(Path file, Collection<String> ids) throws IOException {
        AtomicFiles.writeLines(file, ids);
    }

    /**
     * Makes {@code link} a symbolic link to {@code target} (absolute), replacing an older link; leaves
     * an existing real file or folder alone when it already is the target, fails otherwise.
     */
    public static void link(Path link, Path target) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(link)) {
            if (Files.readSymbolicLink(link).equals(abs)) {
                return;
            }
            Files.delete(link);
        } else if (Files.exists(link)) {
            if (Files.isSameFile(link, abs)) {
                return;
            }
            throw new IOException(
                    link + ": exists and is not a link to " + abs + "; remove it or choose another --out");
        }
        Files.createDirectories(link.toAbsolutePath().getParent());
        try {
            Files.createSymbolicLink(link, abs);
        } catch (UnsupportedOperationException e) {
            throw new IOException(link + ": this file system cannot make symbolic links", e);
        }
    }
}
