package org.wsss4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.wsss4j.data.coco.CocoConverter;
import org.wsss4j.data.voc.SbdConverter;
import org.wsss4j.data.voc.VocTreeCheck;
import org.wsss4j.data.weights.DeitWeights;
import org.wsss4j.data.weights.SafetensorsHeader;
import org.wsss4j.data.weights.VitSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wsss4j prepare}: turns downloaded data sets into the kit's VOC-layout trees and checks them
 * and the pretrained weights. data-scripts/download-* call it after verifying their downloads.
 */
@Command(
        name = "prepare",
        mixinStandardHelpOptions = true,
        description = "Prepare downloaded VOC 2012 + SBD or COCO 2014, check prepared trees and weights.",
        subcommands = {
            PrepareCommand.Voc.class,
            PrepareCommand.Coco.class,
            PrepareCommand.CheckWeights.class,
            PrepareCommand.CheckTree.class
        })
public final class PrepareCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Case-insensitive enum choice; fails naming the option and the allowed values. */
    static <E extends Enum<E>> E choice(Class<E> type, String value, String option) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException(
                option + " '" + value + "': use one of "
                        + java.util.Arrays.stream(type.getEnumConstants())
                                .map(e -> e.name().toLowerCase(Locale.ROOT))
                                .toList());
    }

    /** {@code --threads}, shared by the subcommands that work in parallel. */
    static final class Threads {
        @Option(names = "--threads", defaultValue = "0", description = "worker threads (0 = all cores)")
        int threads;

        /** The worker count: all cores when 0. */
        int count() {
            return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * {@code --threads} and {@code --skip-check} of the converting subcommands, and the tree
     * check they end with.
     */
    static final class ConvertOptions {
        @Mixin Threads threads;

        @Option(names = "--skip-check", description = "do not decode every listed image afterwards")
        boolean skipCheck;

        /** Unless --skip-check: decodes every listed image of {@code splits} under {@code out}. */
        void check(Path out, List<String> splits, PrintWriter o) throws IOException {
            if (!skipCheck) {
                VocTreeCheck.Report r =
                        VocTreeCheck.check(out, splits, true, threads.count()).orThrow();
                o.printf("checked %d ids: every image decodes and matches its mask%n", r.checked());
            }
        }
    }

    /** {@code prepare voc --voc DIR --sbd DIR --out DIR}. */
    @Command(
            name = "voc",
            mixinStandardHelpOptions = true,
            description = {
                "VOC 2012 + SBD -> SegmentationClassAug, train_aug/train/val lists, image_labels.txt,",
                "then check the tree (every listed image decodes, masks match its size)."
            })
    static final class Voc implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--voc", required = true, description = "VOC 2012 folder (VOCdevkit/VOC2012 or a parent)")
        Path voc;

        @Option(names = "--sbd", required = true, description = "SBD folder (benchmark_RELEASE/dataset or a parent)")
        Path sbd;

        @Option(names = "--out", required = true, description = "output tree (may be the VOC 2012 folder itself)")
        Path out;

        @Option(
                names = "--labels",
                defaultValue = "xml",
                description = "image labels from xml (PSA's cls_labels rule) or mask; default ${DEFAULT-VALUE}")
        String labels;

        @Mixin ConvertOptions convert;

        @Override
        public Integer call() throws Exception {
            PrintWriter o = spec.commandLine().getOut();
            SbdConverter.Summary s =
                    SbdConverter.convert(
                            voc,
                            sbd,
                            out,
                            new SbdConverter.Options(
                                    choice(SbdConverter.LabelSource.class, labels, "--labels"),
                                    convert.threads.count(),
                                    true));
            o.printf(
                    "prepared %s: train_aug %d, train %d, val %d ids; SegmentationClassAug %d masks (%d from VOC,"
                            + " %d from SBD); %d label lines from masks (no XML)%n",
                    s.out(), s.trainAug(), s.train(), s.val(), s.masksFromVoc() + s.masksFromSbd(),
                    s.masksFromVoc(), s.masksFromSbd(), s.labelsFromMaskFallback());
            convert.check(out, List.of("train_aug", "train", "val"), o);
            o.flush();
            return 0;
        }
    }

    /** {@code prepare coco --coco DIR --out DIR}. */
    @Command(
            name = "coco",
            mixinStandardHelpOptions = true,
            description = {
                "COCO 2014 instances -> 81-label SegmentationClass PNGs, train/train_aug/val lists,",
                "image_labels.txt, JPEGImages links; then check the tree."
            })
    static final class Coco implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--coco", required = true, description = "folder with annotations/, train2014/, val2014/")
        Path coco;

        @Option(names = "--out", required = true, description = "output tree")
        Path out;

        @Option(
                names = "--crowd",
                defaultValue = "class",
                description = "iscrowd objects as their class (coco2voc) or ignore (255); default ${DEFAULT-VALUE}")
        String crowd;

        @Option(names = "--split", split = ",", defaultValue = "train,val", description = "COCO splits; default ${DEFAULT-VALUE}")
        List<String> splits;

        @Mixin ConvertOptions convert;

        @Override
        public Integer call() throws Exception {
            PrintWriter o = spec.commandLine().getOut();
            CocoConverter.CrowdMode mode = choice(CocoConverter.CrowdMode.class, crowd, "--crowd");
            CocoConverter.Summary s =
                    CocoConverter.convert(
                            coco, out, new CocoConverter.Options(mode, splits, "2014", convert.threads.count(), true));
            o.printf(
                    "prepared %s: %s images; %d without annotations; %d annotations (%d crowd, painted as %s)%n",
                    s.out(), s.imagesPerSplit(), s.imagesWithoutAnnotations(), s.annotations(),
                    s.crowdAnnotations(), mode.name().toLowerCase(Locale.ROOT));
            convert.check(out, splits, o);
            o.flush();
            return 0;
        }
    }

    /** {@code prepare check-weights FILE}. */
    @Command(
            name = "check-weights",
            mixinStandardHelpOptions = true,
            description = "Check a timm DeiT-S safetensors file: every key, shape and dtype, and completeness.")
    static final class CheckWeights implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", description = "safetensors file (default: where download-deit-small puts it)")
        Path file;

        @Override
        public Integer call() throws Exception {
            Path f = file != null ? file : DeitWeights.defaultPath();
            VitSpec deit = VitSpec.deitSmall();
            SafetensorsHeader h = DeitWeights.verify(f, deit);
            spec.commandLine().getOut().printf(
                    "%s: OK, %d tensors, %,d parameters of deit_small_patch16_224 (dtype %s), %,d bytes%n",
                    f, h.tensors().size(), deit.parameterCount(),
                    h.tensors().get("cls_token").dtype(), h.fileSize());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code prepare check-tree DIR}. */
    @Command(
            name = "check-tree",
            mixinStandardHelpOptions = true,
            description = "Check a prepared tree: listed images decode completely, masks exist and match in size.")
    static final class CheckTree implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", description = "prepared VOC-layout tree")
        Path root;

        @Option(names = "--split", split = ",", defaultValue = "train_aug,train,val", description = "lists to check; default ${DEFAULT-VALUE}")
        List<String> splits;

        @Option(names = "--headers-only", description = "read image headers only (fast; misses truncation)")
        boolean headersOnly;

        @Mixin Threads threads;

        @Override
        public Integer call() throws Exception {
            VocTreeCheck.Report r = VocTreeCheck.check(root, splits, !headersOnly, threads.count()).orThrow();
            spec.commandLine().getOut().printf("%s: %d ids OK%n", root, r.checked());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
