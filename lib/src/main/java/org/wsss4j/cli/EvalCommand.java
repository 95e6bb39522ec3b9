package org.wsss4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.wsss4j.data.ClassList;
import org.wsss4j.data.IndexedPng;
import org.wsss4j.data.IndexedPng.LabelMap;
import org.wsss4j.eval.ConfusionMatrix;
import org.wsss4j.eval.SegMetrics;
import org.wsss4j.report.ResultsWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code wsss4j eval}: scores a folder of palette-PNG label maps (e.g. pseudo masks made by
 * another repository) against VOC-layout ground truth, with one confusion matrix over all images
 * (methods.md §6.2), and prints per-class IoU, mIoU in both conventions, foreground precision and
 * recall.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Score palette-PNG label maps against VOC-layout ground truth (255 ignored).",
            "--gt may be a VOC root (SegmentationClass, else SegmentationClassAug inside; classes"
                    + " from its class_names.txt, else the VOC list) or a plain folder of masks."
        })
public final class EvalCommand implements Callable<Integer> {
    /** Ground-truth folders of a VOC root, in order of preference. */
    static final List<String> VOC_GT_FOLDERS = List.of("SegmentationClass", "SegmentationClassAug");

    @Spec CommandSpec spec;

    @Option(names = "--pred", required = true, paramLabel = "DIR", description = "Predicted masks <id>.png.")
    Path pred;

    @Option(names = "--gt", required = true, paramLabel = "DIR", description = "VOC root or mask folder.")
    Path gt;

    @Option(
            names = "--split-list",
            paramLabel = "FILE",
            description = "Ids to score, one per line (default: every PNG in --pred).")
    Path splitList;

    @Option(
            names = "--classes",
            paramLabel = "FILE",
            description = "Class names, one per line, background first (default: see --gt).")
    Path classesFile;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Also write the scores as CSV.")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        if (!Files.isDirectory(pred)) {
            throw new IOException("--pred " + pred + ": not a folder");
        }
        if (!Files.isDirectory(gt)) {
            throw new IOException("--gt " + gt + ": not a folder");
        }
        List<String> ids = splitList != null ? readIds(splitList) : pngIds(pred);
        if (ids.isEmpty()) {
            throw new IOException(
                    (splitList != null ? splitList : pred) + ": no image ids to score");
        }
        Path gtDir = groundTruthFolder(gt, ids);
        ClassList classes =
                classesFile != null ? readClasses(classesFile) : ClassList.readOrDefault(gt, ClassList.VOC);
        ConfusionMatrix cm = new ConfusionMatrix(classes.numLabels());
        for (String id : ids) {
            Path pf = pred.resolve(id + ".png");
            Path gf = gtDir.resolve(id + ".png");
            if (!Files.exists(pf)) {
                throw new IOException(pf + ": prediction missing for id '" + id + "'");
            }
            if (!Files.exists(gf)) {
                throw new IOException(gf + ": ground truth missing for prediction " + pf);
            }
            LabelMap p = IndexedPng.read(pf);
            LabelMap g = IndexedPng.read(gf);
            if (p.width() != g.width() || p.height() != g.height()) {
                throw new IOException(
                        pf + ": prediction is " + p.width() + "x" + p.height()
                                + " but ground truth " + gf + " is " + g.width() + "x" + g.height());
            }
            try {
                cm.add(p.labels(), g.labels());
            } catch (IllegalArgumentException e) {
                Path bad = e.getMessage().startsWith("predicted") ? pf : gf;
                throw new IOException(
                        bad + ": " + e.getMessage() + " of '" + classes.name() + "' ("
                                + classes.numLabels() + " labels)",
                        e);
            }
        }
        SegMetrics m = cm.metrics();
        print(o, m, classes, ids.size(), gtDir);
        if (out != null) {
            ResultsWriter.writeCsv(table(m, classes, ids.size()), out);
            o.println("wrote " + out.toAbsolutePath());
        }
        o.flush();
        return 0;
    }

    /** The VOC root's first ground-truth folder that holds every id, or {@code root} itself. */
    static Path groundTruthFolder(Path root, List<String> ids) throws IOException {
        List<Path> candidates = new ArrayList<>();
        for (String f : VOC_GT_FOLDERS) {
            if (Files.isDirectory(root.resolve(f))) {
                candidates.add(root.resolve(f));
            }
        }
        if (candidates.isEmpty()) {
            return root;
        }
        for (Path c : candidates) {
            if (ids.stream().allMatch(id -> Files.exists(c.resolve(id + ".png")))) {
                return c;
            }
        }
        Path first = candidates.get(0);
        String missing =
                ids.stream().filter(id -> !Files.exists(first.resolve(id + ".png"))).findFirst().orElseThrow();
        throw new IOException(
                first.resolve(missing + ".png") + ": ground truth missing (no folder among "
                        + candidates + " holds every id)");
    }

    /** Ids of a split list: first token per line, folders and extension stripped; # comments. */
    static List<String> readIds(Path list) throws IOException {
        if (!Files.isRegularFile(list)) {
            throw new IOException("--split-list " + list + ": no such file");
        }
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String tok = l.split("\\s+")[0];
            tok = tok.substring(tok.lastIndexOf('/') + 1);
            int dot = tok.lastIndexOf('.');
            if (dot > 0 && tok.substring(dot + 1).matches("(?i)png|jpe?g")) {
                tok = tok.substring(0, dot);
            }
            ids.add(tok);
        }
        return ids;
    }

    static List<String> pngIds(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".png") && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - 4))
                    .sorted()
                    .toList();
        }
    }

    static ClassList readClasses(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("--classes " + file + ": no such file");
        }
        List<String> names = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!l.isBlank()) {
                names.add(l.strip());
            }
        }
        try {
            return new ClassList(file.getFileName().toString(), names);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static void print(PrintWriter o, SegMetrics m, ClassList classes, int images, Path gtDir) {
        o.printf(Locale.ROOT, "scored %d images, %d pixels; ground truth %s; classes '%s'%n",
                images, m.pixels(), gtDir, classes.name());
        o.printf(Locale.ROOT, "%5s  %-16s %8s %10s%n", "label", "class", "IoU", "IoU(mct)");
        for (int c = 0; c < classes.numLabels(); c++) {
            double iou = m.iou(c);
            o.printf(Locale.ROOT, "%5d  %-16s %8s %10.4f%n", c, classes.nameOf(c),
                    Double.isNaN(iou) ? "n/a" : String.format(Locale.ROOT, "%.4f", iou),
                    m.iouMct()[c]);
        }
        o.printf(Locale.ROOT, "mIoU      %.4f  (mean over %d labels with non-empty union)%n",
                m.mIoU(), m.labelsScored());
        o.printf(Locale.ROOT, "mIoU_mct  %.4f  (MCTformer: all %d labels, +1e-10)%n",
                m.mIoUMct(), m.numLabels());
        o.printf(Locale.ROOT, "precision %.4f  (foreground, pixel level)%n", m.precision());
        o.printf(Locale.ROOT, "recall    %.4f  (foreground, pixel level)%n", m.recall());
        o.printf(Locale.ROOT, "pixel accuracy %.4f%n", m.pixelAccuracy());
    }

    /** Long format: metric, label, class, value (per-label IoU rows, then the summary rows). */
    static Table table(SegMetrics m, ClassList classes, int images) {
        StringColumn metric = StringColumn.create("metric");
        IntColumn label = IntColumn.create("label");
        StringColumn name = StringColumn.create("class");
        DoubleColumn value = DoubleColumn.create("value");
        for (int c = 0; c < classes.numLabels(); c++) {
            metric.append("iou");
            label.append(c);
            name.append(classes.nameOf(c));
            value.append(m.iou(c));
        }
        for (int c = 0; c < classes.numLabels(); c++) {
            metric.append("iou_mct");
            label.append(c);
            name.append(classes.nameOf(c));
            value.append(m.iouMct()[c]);
        }
        String[] keys = {"mIoU", "mIoU_mct", "precision", "recall", "pixel_accuracy", "images", "pixels"};
        double[] vals = {m.mIoU(), m.mIoUMct(), m.precision(), m.recall(), m.pixelAccuracy(), images, m.pixels()};
        for (int i = 0; i < keys.length; i++) {
            metric.append(keys[i]);
            label.appendMissing();
            name.appendMissing();
            value.append(vals[i]);
        }
        return Table.create("eval", metric, label, name, value);
    }
}
