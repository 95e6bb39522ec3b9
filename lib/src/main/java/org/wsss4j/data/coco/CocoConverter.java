package org.wsss4j.data.coco;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.wsss4j.data.ClassList;
import org.wsss4j.data.ImageLabelsFile;
import org.wsss4j.data.IndexedPng;
import org.wsss4j.data.voc.ParallelFiles;
import org.wsss4j.data.voc.VocLayout;

/**
 * Turns COCO 2014 instance annotations into a VOC-layout tree ({@link VocLayout}) with 81 labels:
 * 0 background, 1..80 the object classes in {@link ClassList#COCO} order, 255 ignore.
 *
 * <p>Rules (methods.md §6.1 points to coco2voc / the ToCo-AFA masks; this follows coco2voc, the
 * generator ToCo's README names, except for the contiguous labels ToCo's own data loader uses):
 *
 * <ul>
 *   <li><b>Labels.</b> COCO category ids 1..90 (10 unused) map to 1..80 in ascending id order; each
 *       category's name must equal the {@link ClassList#COCO} name at that index (one source of
 *       truth), else conversion fails naming both.
 *   <li><b>Shapes.</b> Polygons follow pycocotools' rasteriser ({@link CocoPolygon}: even-odd per
 *       part, parts united); RLE in both the uncompressed ({@code counts} array) and the compressed
 *       ({@code counts} string) form ({@link CocoRle}).
 *   <li><b>Overlaps.</b> Annotations are painted in ascending {@code area} (the annotation's own
 *       field; ties keep file order) and a pixel keeps the first label painted on it: smaller objects
 *       stay on top, as in coco2voc.
 *   <li><b>Crowd.</b> {@code iscrowd} objects are, by default, painted as their class
 *       ({@link CrowdMode#CLASS}), as coco2voc does (it draws every annotation). {@link
 *       CrowdMode#IGNORE} paints them 255 instead, after all non-crowd objects, so a crowd region
 *       never hides a single object.
 *   <li><b>Image labels.</b> Every category with at least one annotation on the image (crowd
 *       included): "the image shows class c". Images without annotations get a background-only mask
 *       and an empty label line; they stay in the lists, which then hold all 82,783 / 40,504 images
 *       as MCTformer's and AReAM's COCO lists do.
 *   <li><b>Ids</b> are the image file names without extension ({@code COCO_train2014_000000000009}),
 *       as in MCTformer's {@code coco/train_id.txt}.
 * </ul>
 *
 * Splits: {@code train} (train2014) is written as {@code train.txt} and also as {@code
 * train_aug.txt}, so the split names are those of VOC (train_aug = all training images); {@code val}
 * (val2014) as {@code val.txt}.
 */
public final class CocoConverter {
    /** How {@code iscrowd} annotations are painted. */
    public enum CrowdMode {
        /** As their class (coco2voc's behaviour). */
        CLASS,
        /** As 255 (ignored by every metric), below all single objects. */
        IGNORE
    }

    /**
     * @param crowd crowd handling
     * @param splits COCO splits to convert ("train", "val")
     * @param year COCO release of the file names ("2014")
     * @param threads worker threads for rasterising and PNG writing
     * @param progress show a progress bar on stderr
     */
    public record Options(CrowdMode crowd, List<String> splits, String year, int threads, boolean progress) {
        public Options {
            splits = List.copyOf(splits);
            if (splits.isEmpty()) {
                throw new IllegalArgumentException("no COCO split to convert");
            }
        }

        public static Options defaults() {
            return new Options(
                    CrowdMode.CLASS,
                    List.of("train", "val"),
                    "2014",
                    Runtime.getRuntime().availableProcessors(),
                    true);
        }
    }

    /** What a conversion wrote. */
    public record Summary(
            Path out,
            Map<String, Integer> imagesPerSplit,
            int imagesWithoutAnnotations,
            long annotations,
            long crowdAnnotations) {}

    private CocoConverter() {}

    /**
     * Maps COCO category ids to contiguous labels: {@code result[categoryId]} is 1..80, or -1 for an
     * id not in the file. Fails when the categories do not match {@link ClassList#COCO}.
     */
    public static int[] labelsOfCategories(List<CocoInstances.Category> categories, Path source) {
        List<CocoInstances.Category> sorted = new ArrayList<>(categories);
        sorted.sort(Comparator.comparingInt(CocoInstances.Category::id));
        ClassList cl = ClassList.COCO;
        if (sorted.size() != cl.numClasses()) {
            throw new IllegalArgumentException(
                    source + ": has " + sorted.size() + " categories, COCO has " + cl.numClasses());
        }
        int[] map = new int[sorted.get(sorted.size() - 1).id() + 1];
        java.util.Arrays.fill(map, -1);
        for (int i = 0; i < sorted.size(); i++) {
            CocoInstances.Category c = sorted.get(i);
            if (map[c.id()] != -1) {
                throw new IllegalArgumentException(source + ": category id " + c.id() + " appears twice");
            }
            if (!cl.nameOf(i + 1).equals(c.name())) {
                throw new IllegalArgumentException(
                        source + ": category id " + c.id() + " is '" + c.name() + "' but label " + (i + 1)
                                + " of ClassList.COCO is '" + cl.nameOf(i + 1) + "'");
            }
            map[c.id()] = i + 1;
        }
        return map;
    }

    /**
     * Paints one image's annotations into a label map (rules in the class comment).
     *
     * @param labelOfCategory from {@link #labelsOfCategories}
     */
    public static IndexedPng.LabelMap render(
            CocoInstances.Image image,
            List<CocoInstances.Annotation> annotations,
            int[] labelOfCategory,
            CrowdMode crowd) {
        int h = image.height(), w = image.width();
        List<CocoInstances.Annotation> order = new ArrayList<>(annotations);
        Comparator<CocoInstances.Annotation> byArea =
                Comparator.comparingDouble(CocoInstances.Annotation::area);
        if (crowd == CrowdMode.IGNORE) {
            order.sort(
                    Comparator.comparing((CocoInstances.Annotation a) -> a.crowd()).thenComparing(byArea));
        } else {
            order.sort(byArea); // List.sort is stable: equal areas keep file order
        }
        byte[] labels = new byte[h * w];
        for (CocoInstances.Annotation a : order) {
            int label =
                    a.crowd() && crowd == CrowdMode.IGNORE
                            ? ClassList.IGNORE
                            : labelOf(labelOfCategory, a, image);
            byte[] mask;
            try {
                mask = a.segmentation().rasterize(h, w);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "annotation " + a.id() + " of image " + image.fileName() + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < labels.length; i++) {
                if (mask[i] != 0 && labels[i] == 0) {
                    labels[i] = (byte) label;
                }
            }
        }
        return new IndexedPng.LabelMap(w, h, labels);
    }

    /** Sorted 1-based labels of the categories annotated on an image (crowd included). */
    public static int[] imageLabels(
            CocoInstances.Image image, List<CocoInstances.Annotation> annotations, int[] labelOfCategory) {
        TreeSet<Integer> set = new TreeSet<>();
        for (CocoInstances.Annotation a : annotations) {
            set.add(labelOf(labelOfCategory, a, image));
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int labelOf(int[] map, CocoInstances.Annotation a, CocoInstances.Image image) {
        int c = a.categoryId();
        if (c < 0 || c >= map.length || map[c] < 0) {
            throw new IllegalArgumentException(
                    "annotation " + a.id() + " of image " + image.fileName() + " has unknown category_id "
                            + c);
        }
        return map[c];
    }

    /**
     * Converts {@code cocoRoot} (holding {@code annotations/instances_<split><year>.json} and the image
     * folders {@code <split><year>/}) into the VOC-layout tree {@code out}.
     */
    public static Summary convert(Path cocoRoot, Path out, Options opt) throws IOException {
        Files.createDirectories(out);
        ConcurrentSkipListMap<String, int[]> allLabels = new ConcurrentSkipListMap<>();
        // Converting one split again keeps the other split's labels.
        Path labelsFile = out.resolve(ImageLabelsFile.NAME);
        if (Files.exists(labelsFile)) {
            allLabels.putAll(ImageLabelsFile.read(labelsFile, ClassList.COCO.numClasses()));
        }
        Map<String, Integer> perSplit = new LinkedHashMap<>();
        AtomicInteger empty = new AtomicInteger();
        long anns = 0, crowdAnns = 0;
        Set<String> seen = new HashSet<>();
        for (String split : opt.splits()) {
            Path annFile = cocoRoot.resolve("annotations").resolve("instances_" + split + opt.year() + ".json");
            Path imageDir = cocoRoot.resolve(split + opt.year());
            if (!Files.isDirectory(imageDir)) {
                throw new IOException(imageDir + ": COCO image folder not found");
            }
            CocoInstances inst = CocoInstances.read(annFile);
            int[] catMap;
            try {
                catMap = labelsOfCategories(inst.categories(), annFile);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
            for (List<CocoInstances.Annotation> l : inst.annotations().values()) {
                for (CocoInstances.Annotation a : l) {
                    anns++;
                    if (a.crowd()) {
                        crowdAnns++;
                    }
                }
            }
            Set<Long> imageIds = new HashSet<>();
            TreeMap<String, CocoInstances.Image> byId = new TreeMap<>();
            for (CocoInstances.Image img : inst.images()) {
                String id = idOf(img.fileName());
                if (!imageIds.add(img.id()) || byId.put(id, img) != null || !seen.add(id)) {
                    throw new IOException(annFile + ": image " + img.fileName() + " (id " + img.id() + ") listed twice");
                }
            }
            for (Long imageId : inst.annotations().keySet()) {
                if (!imageIds.contains(imageId)) {
                    throw new IOException(
                            annFile + ": annotations refer to image_id " + imageId + ", which is not in \"images\"");
                }
            }
            List<CocoInstances.Image> images = new ArrayList<>(byId.values());
            ParallelFiles.forEach(
                    images,
                    opt.threads(),
                    opt.progress() ? "coco " + split + " masks" : null,
                    img -> {
                        String id = idOf(img.fileName());
                        Path src = imageDir.resolve(img.fileName());
                        if (!Files.isRegularFile(src)) {
                            throw new IOException(src + ": image listed in " + annFile.getFileName() + " is missing");
                        }
                        VocLayout.link(VocLayout.image(out, id), src);
                        List<CocoInstances.Annotation> a = inst.annotationsOf(img.id());
                        if (a.isEmpty()) {
                            empty.incrementAndGet();
                        }
                        IndexedPng.LabelMap map;
                        try {
                            map = render(img, a, catMap, opt.crowd());
                            allLabels.put(id, imageLabels(img, a, catMap));
                        } catch (IllegalArgumentException e) {
                            throw new IOException(annFile + ": " + e.getMessage(), e);
                        }
                        IndexedPng.write(map, out.resolve(VocLayout.MASKS).resolve(id + ".png"));
                    });
            List<String> ids = new ArrayList<>(byId.keySet());
            VocLayout.writeList(VocLayout.list(out, split), ids);
            if (split.equals("train")) {
                VocLayout.writeList(VocLayout.list(out, "train_aug"), ids);
            }
            perSplit.put(split, ids.size());
        }
        ImageLabelsFile.write(labelsFile, allLabels);
        ClassList.COCO.write(out);
        return new Summary(out, perSplit, empty.get(), anns, crowdAnns);
    }

    /** The id of an image: its file name without extension. */
    public static String idOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String base = dot > 0 ? fileName.substring(0, dot) : fileName;
        int slash = base.lastIndexOf('/');
        return slash >= 0 ? base.substring(slash + 1) : base;
    }
}
