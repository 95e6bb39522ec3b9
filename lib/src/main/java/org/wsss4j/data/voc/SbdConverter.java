package org.wsss4j.data.voc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.wsss4j.data.ClassList;
import org.wsss4j.data.ImageLabelsFile;
import org.wsss4j.data.IndexedPng;
import org.wsss4j.data.VocDataset;
import org.wsss4j.runtime.AtomicFiles;

/**
 * Prepares PASCAL VOC 2012 + SBD as the kit's VOC-layout tree ({@link VocLayout}):
 *
 * <ul>
 *   <li>{@code SegmentationClassAug/<id>.png} for every SBD id and every VOC train/val id: VOC's own
 *       {@code SegmentationClass} PNG (copied byte for byte: it has the 255 boundary band) where VOC
 *       has one, else SBD's {@code GTcls.Segmentation} written as a palette PNG — the rule of the
 *       standard SegmentationClassAug set (12,031 masks with the released data).
 *   <li>{@code ImageSets/Segmentation/train_aug.txt} by {@link TrainAugList} (10,582 ids), and VOC's
 *       own {@code train.txt} (1,464) and {@code val.txt} (1,449).
 *   <li>{@code image_labels.txt} for train_aug ∪ train ∪ val: from VOC's XML annotations by PSA's rule
 *       ({@link VocXmlLabels}, what {@code cls_labels.npy} holds), or from the mask's classes with
 *       {@link LabelSource#MASK}; an id without XML falls back to its mask, and the summary counts
 *       those.
 *   <li>{@code JPEGImages} and {@code SegmentationClass} as links to VOC's folders when {@code out} is
 *       not the VOC folder itself; {@code class_names.txt}.
 * </ul>
 */
public final class SbdConverter {
    /** Where image-level labels come from. */
    public enum LabelSource {
        /** VOC's XML annotations, PSA's rule (the papers' cls_labels.npy). */
        XML,
        /** The classes present in the (VOC or SBD) mask. */
        MASK
    }

    /**
     * @param labels image-level label source
     * @param threads worker threads
     * @param progress show a progress bar on stderr
     */
    public record Options(LabelSource labels, int threads, boolean progress) {
        public static Options defaults() {
            return new Options(LabelSource.XML, Runtime.getRuntime().availableProcessors(), true);
        }
    }

    /** What a conversion wrote. */
    public record Summary(
            Path out,
            int trainAug,
            int train,
            int val,
            int masksFromVoc,
            int masksFromSbd,
            int labelsFromMaskFallback) {}

    /** The VOC 2012 folder (the one holding JPEGImages) under a user-given path. */
    public static Path resolveVocRoot(Path given) throws IOException {
        for (Path p :
                List.of(given, given.resolve("VOC2012"), given.resolve("VOCdevkit").resolve("VOC2012"))) {
            if (Files.isDirectory(p.resolve(VocLayout.IMAGES)) && Files.isDirectory(p.resolve(VocLayout.LISTS))) {
                return p;
            }
        }
        throw new IOException(
                given + ": not a VOC 2012 folder (no JPEGImages and ImageSets/Segmentation here, in"
                        + " VOC2012/ or in VOCdevkit/VOC2012/)");
    }

    /** The SBD folder (the one holding cls/, train.txt, val.txt) under a user-given path. */
    public static Path resolveSbdRoot(Path given) throws IOException {
        for (Path p :
                List.of(given, given.resolve("dataset"), given.resolve("benchmark_RELEASE").resolve("dataset"))) {
            if (Files.isDirectory(p.resolve("cls")) && Files.isRegularFile(p.resolve("train.txt"))) {
                return p;
            }
        }
        throw new IOException(
                given + ": not an SBD folder (no cls/ and train.txt here, in dataset/ or in"
                        + " benchmark_RELEASE/dataset/)");
    }

    private SbdConverter() {}

    /**
     * Converts; {@code vocRoot} and {@code sbdRoot} may be any of the paths {@link #resolveVocRoot}
     * and {@link #resolveSbdRoot} accept.
     */
    public static Summary convert(Path vocRoot, Path sbdRoot, Path out, Options opt) throws IOException {
        Path voc = resolveVocRoot(vocRoot);
        Path sbd = resolveSbdRoot(sbdRoot);
        List<String> vocTrain = VocLayout.readList(VocLayout.list(voc, "train"));
        List<String> vocVal = VocLayout.readList(VocLayout.list(voc, "val"));
        List<String> sbdTrain = VocLayout.readList(sbd.resolve("train.txt"));
        List<String> sbdVal = VocLayout.readList(sbd.resolve("val.txt"));
        List<String> trainAug = TrainAugList.compute(sbdTrain, sbdVal, vocTrain, vocVal);

        Files.createDirectories(out);
        boolean inPlace = Files.isSameFile(voc, out);
        if (!inPlace) {
            VocLayout.link(out.resolve(VocLayout.IMAGES), voc.resolve(VocLayout.IMAGES));
            VocLayout.link(out.resolve(VocLayout.MASKS), voc.resolve(VocLayout.MASKS));
        }

        // Masks: VOC's own for VOC segmentation ids, SBD's for the rest.
        Set<String> vocSeg = new LinkedHashSet<>(vocTrain);
        vocSeg.addAll(vocVal);
        Set<String> all = new TreeSet<>(sbdTrain);
        all.addAll(sbdVal);
        all.addAll(vocSeg);
        Path augDir = out.resolve(VocLayout.MASKS_AUG);
        Files.createDirectories(augDir);
        AtomicInteger fromVoc = new AtomicInteger(), fromSbd = new AtomicInteger();
        ParallelFiles.forEach(
                new ArrayList<>(all),
                opt.threads(),
                opt.progress() ? "SegmentationClassAug" : null,
                id -> {
                    Path dst = augDir.resolve(id + ".png");
                    if (vocSeg.contains(id)) {
                        Path src = voc.resolve(VocLayout.MASKS).resolve(id + ".png");
                        if (!Files.isRegularFile(src)) {
                            throw new IOException(src + ": VOC mask of listed id " + id + " is missing");
                        }
                        AtomicFiles.copy(src, dst);
                        fromVoc.incrementAndGet();
                    } else {
                        IndexedPng.write(SbdMat.readSegmentation(sbd.resolve("cls").resolve(id + ".mat")), dst);
                        fromSbd.incrementAndGet();
                    }
                });

        // Image-level labels for every id of a written list.
        Set<String> labelled = new TreeSet<>(trainAug);
        labelled.addAll(vocTrain);
        labelled.addAll(vocVal);
        ConcurrentSkipListMap<String, int[]> labels = new ConcurrentSkipListMap<>();
        AtomicInteger fallback = new AtomicInteger();
        ParallelFiles.forEach(
                new ArrayList<>(labelled),
                opt.threads(),
                opt.progress() ? "image labels" : null,
                id -> {
                    Path xml = voc.resolve(VocLayout.ANNOTATIONS).resolve(id + ".xml");
                    if (opt.labels() == LabelSource.XML && Files.isRegularFile(xml)) {
                        labels.put(id, VocXmlLabels.read(xml, ClassList.VOC));
                    } else {
                        if (opt.labels() == LabelSource.XML) {
                            fallback.incrementAndGet();
                        }
                        labels.put(id, VocDataset.classesIn(
                                IndexedPng.read(augDir.resolve(id + ".png"))));
                    }
                });

        VocLayout.writeList(VocLayout.list(out, "train_aug"), trainAug);
        if (!inPlace) {
            VocLayout.writeList(VocLayout.list(out, "train"), vocTrain);
            VocLayout.writeList(VocLayout.list(out, "val"), vocVal);
        }
        ImageLabelsFile.write(out.resolve(ImageLabelsFile.NAME), labels);
        ClassList.VOC.write(out);
        return new Summary(
                out, trainAug.size(), vocTrain.size(), vocVal.size(), fromVoc.get(), fromSbd.get(), fallback.get());
    }
}
