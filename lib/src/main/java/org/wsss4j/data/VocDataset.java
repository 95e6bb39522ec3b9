package org.wsss4j.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * One split of a data set in PASCAL VOC layout (VOC 2012, VOC + SBD, converted COCO, the synthetic
 * benchmark):
 *
 * <pre>
 * ImageSets/Segmentation/&lt;split&gt;.txt   one id per line
 * JPEGImages/&lt;id&gt;.jpg | .png
 * SegmentationClass/&lt;id&gt;.png | SegmentationClassAug/&lt;id&gt;.png   class per pixel, 255 ignore
 * SegmentationObject/&lt;id&gt;.png        optional instances
 * class_names.txt                      optional, else the VOC classes
 * image_labels.txt                     optional "&lt;id&gt; c1 c2 …" (1-based), else from the masks
 * </pre>
 *
 * <p>{@link #open} checks that every listed id has its image (and mask, unless {@link
 * Options#requireMasks} is off) and reads or derives the image-level labels, so a broken data set
 * fails at once with the file and the reason. Instances are immutable and safe to read from
 * several threads.
 */
public final class VocDataset {
    public static final String SPLIT_DIR = "ImageSets/Segmentation";
    public static final String IMAGE_DIR = "JPEGImages";
    public static final String CLASS_DIR = "SegmentationClass";
    public static final String AUG_DIR = "SegmentationClassAug";
    public static final String OBJECT_DIR = "SegmentationObject";

    /**
     * How to open a split.
     *
     * @param segmentationDir folder of the class masks under the root; null picks
     *     SegmentationClass, or SegmentationClassAug when only it exists
     * @param requireMasks whether every id must have a mask (off for training splits that only
     *     need image_labels.txt, e.g. VOC train_aug with SegmentationClass)
     */
    public record Options(String segmentationDir, boolean requireMasks) {
        public static Options defaults() {
            return new Options(null, true);
        }

        public Options withSegmentationDir(String dir) {
            return new Options(dir, requireMasks);
        }

        public Options withRequireMasks(boolean require) {
            return new Options(segmentationDir, require);
        }
    }

    private final Path root;
    private final String split;
    private final ClassList classes;
    private final List<String> ids;
    private final List<Path> images;
    private final Path maskDir; // null when no mask folder exists
    private final int[][] labels;

    private VocDataset(Path root, String split, ClassList classes, List<String> ids,
            List<Path> images, Path maskDir, int[][] labels) {
        this.root = root;
        this.split = split;
        this.classes = classes;
        this.ids = ids;
        this.images = images;
        this.maskDir = maskDir;
        this.labels = labels;
    }

    /** Opens {@code split} of the data set at {@code root} with default options. */
    public static VocDataset open(Path root, String split) throws IOException {
        return open(root, split, Options.defaults());
    }

    public static VocDataset open(Path root, String split, Options options) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": data set root is not a folder");
        }
        Path splitFile = root.resolve(SPLIT_DIR).resolve(split + ".txt");
        if (!Files.isRegularFile(splitFile)) {
            throw new IOException(splitFile + ": split file missing (no split '" + split + "')");
        }
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(splitFile, StandardCharsets.UTF_8)) {
            String id = line.trim();
            if (!id.isEmpty()) {
                // VOC's classification lists carry "<id> <flag>"; the id is the first field.
                ids.add(id.split("\\s+")[0]);
            }
        }
        if (ids.isEmpty()) {
            throw new IOException(splitFile + ": split file lists no ids");
        }
        ClassList classes = ClassList.readOrDefault(root, ClassList.VOC);

        List<Path> images = new ArrayList<>(ids.size());
        Path imageDir = root.resolve(IMAGE_DIR);
        for (String id : ids) {
            Path jpg = imageDir.resolve(id + ".jpg"), png = imageDir.resolve(id + ".png");
            if (Files.isRegularFile(jpg)) {
                images.add(jpg);
            } else if (Files.isRegularFile(png)) {
                images.add(png);
            } else {
                throw new IOException(jpg + " (or .png): image of id '" + id + "' listed in "
                        + splitFile + " is missing");
            }
        }

        Path maskDir = maskDir(root, options.segmentationDir());
        Path labelFile = root.resolve(ImageLabelsFile.NAME);
        boolean haveLabels = Files.isRegularFile(labelFile);
        if (options.requireMasks() || !haveLabels) {
            if (maskDir == null) {
                throw new IOException(root + ": no " + CLASS_DIR + " or " + AUG_DIR
                        + " folder, and " + (haveLabels ? "masks are required"
                                : "no " + ImageLabelsFile.NAME + " to take labels from"));
            }
            for (String id : ids) {
                Path m = maskDir.resolve(id + ".png");
                if (!Files.isRegularFile(m)) {
                    throw new IOException(m + ": mask of id '" + id + "' listed in " + splitFile
                            + " is missing");
                }
            }
        }

        int[][] labels = new int[ids.size()][];
        if (haveLabels) {
            Map<String, int[]> all = ImageLabelsFile.read(labelFile, classes.numClasses());
            for (int i = 0; i < ids.size(); i++) {
                labels[i] = all.get(ids.get(i));
                if (labels[i] == null) {
                    throw new IOException(labelFile + ": no line for id '" + ids.get(i)
                            + "' of split " + split);
                }
            }
        } else {
            for (int i = 0; i < ids.size(); i++) {
                Path m = maskDir.resolve(ids.get(i) + ".png");
                IndexedPng.LabelMap mask = checkedMask(m, classes);
                checkSize(mask, m, images.get(i));
                labels[i] = classesIn(mask);
            }
        }
        return new VocDataset(root, split, classes, List.copyOf(ids), List.copyOf(images),
                maskDir, labels);
    }

    private static Path maskDir(Path root, String option) throws IOException {
        if (option != null) {
            Path d = root.resolve(option);
            if (!Files.isDirectory(d)) {
                throw new IOException(d + ": segmentation folder named by the options is missing");
            }
            return d;
        }
        for (String name : List.of(CLASS_DIR, AUG_DIR)) {
            Path d = root.resolve(name);
            if (Files.isDirectory(d)) {
                return d;
            }
        }
        return null;
    }

    private static IndexedPng.LabelMap checkedMask(Path file, ClassList classes)
            throws IOException {
        IndexedPng.LabelMap m = IndexedPng.read(file);
        int max = classes.numClasses();
        for (byte b : m.labels()) {
            int v = b & 0xFF;
            if (v > max && v != ClassList.IGNORE) {
                throw new IOException(file + ": mask value " + v + " outside the class list (0.."
                        + max + " or " + ClassList.IGNORE + ")");
            }
        }
        return m;
    }

    /** Sorted object classes (1..254) present in a label map; background and 255 excluded. */
    public static int[] classesIn(IndexedPng.LabelMap m) {
        boolean[] seen = new boolean[256];
        for (byte b : m.labels()) {
            seen[b & 0xFF] = true;
        }
        List<Integer> out = new ArrayList<>();
        for (int c = 1; c < ClassList.IGNORE; c++) {
            if (seen[c]) {
                out.add(c);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    public Path root() {
        return root;
    }

    public String split() {
        return split;
    }

    /** Number of images in the split. */
    public int size() {
        return ids.size();
    }

    public ClassList classes() {
        return classes;
    }

    public String id(int i) {
        return ids.get(i);
    }

    /** Ids in split-file order. */
    public List<String> ids() {
        return ids;
    }

    /** Image-level labels of image i: sorted distinct class indices, 1-based. */
    public int[] labels(int i) {
        return labels[i].clone();
    }

    /** Labels as a multi-hot vector of length C (element c - 1 is 1 for label c). */
    public float[] multiHot(int i) {
        float[] v = new float[classes.numClasses()];
        for (int c : labels[i]) {
            v[c - 1] = 1f;
        }
        return v;
    }

    public Path imageFile(int i) {
        return images.get(i);
    }

    /** The class-mask file of image i, when the data set has a mask folder. */
    public Optional<Path> maskFile(int i) {
        return maskDir == null ? Optional.empty() : Optional.of(maskDir.resolve(ids.get(i) + ".png"));
    }

    /** Decodes image i as RGB. */
    public RgbImage readImage(int i) throws IOException {
        return RgbImage.read(images.get(i));
    }

    /**
     * Reads the class mask of image i, checking that it has its image's size and only values
     * 0..C and 255.
     */
    public IndexedPng.LabelMap readMask(int i) throws IOException {
        Path f = maskFile(i).orElseThrow(
                () -> new IOException(root + ": data set has no mask folder (id '" + ids.get(i)
                        + "')"));
        if (!Files.isRegularFile(f)) {
            throw new IOException(f + ": mask of id '" + ids.get(i) + "' is missing");
        }
        IndexedPng.LabelMap m = checkedMask(f, classes);
        checkSize(m, f, images.get(i));
        return m;
    }

    /**
     * Reads the synthetic benchmark's SegmentationPart/&lt;id&gt;.png (class of each visible
     * discriminative part, 0 elsewhere) when the data set has it; real data sets do not.
     */
    public Optional<IndexedPng.LabelMap> readParts(int i) throws IOException {
        return readOptionalMask(SyntheticGenerator.PART_DIR, i);
    }

    /**
     * Reads the synthetic benchmark's SegmentationBackdrop/&lt;id&gt;.png ({@link Backdrop} codes:
     * what the background shows at each pixel) when the data set has it; real data sets do not.
     */
    public Optional<IndexedPng.LabelMap> readBackdrop(int i) throws IOException {
        return readOptionalMask(SyntheticGenerator.BACKDROP_DIR, i);
    }

    /** Reads SegmentationObject/&lt;id&gt;.png when the data set has it. */
    public Optional<IndexedPng.LabelMap> readInstances(int i) throws IOException {
        return readOptionalMask(OBJECT_DIR, i);
    }

    /** &lt;dir&gt;/&lt;id&gt;.png of image i, size-checked, or empty when the data set lacks it. */
    private Optional<IndexedPng.LabelMap> readOptionalMask(String dir, int i) throws IOException {
        Path f = root.resolve(dir).resolve(ids.get(i) + ".png");
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        IndexedPng.LabelMap m = IndexedPng.read(f);
        checkSize(m, f, images.get(i));
        return Optional.of(m);
    }

    private static void checkSize(IndexedPng.LabelMap m, Path f, Path image) throws IOException {
        int[] wh = imageSize(image);
        if (m.width() != wh[0] || m.height() != wh[1]) {
            throw new IOException(f + ": mask is " + m.width() + "x" + m.height() + " but its image "
                    + image.getFileName() + " is " + wh[0] + "x" + wh[1]);
        }
    }

    /** Width and height from the image header, without decoding the pixels. */
    static int[] imageSize(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IOException(file + ": cannot open image");
            }
            Iterator<ImageReader> it = ImageIO.getImageReaders(in);
            if (!it.hasNext()) {
                throw new IOException(file + ": not an image ImageIO can decode");
            }
            ImageReader r = it.next();
            try {
                r.setInput(in, true, true);
                return new int[] {r.getWidth(0), r.getHeight(0)};
            } catch (IOException | RuntimeException e) {
                throw new IOException(file + ": unreadable image (" + e.getMessage() + ")", e);
            } finally {
                r.dispose();
            }
        }
    }

    @Override
    public String toString() {
        return "VocDataset[" + root + ", " + split + ", " + size() + " images, "
                + classes.numClasses() + " classes]";
    }
}
