package org.wsss4j.experiments;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wsss4j.cam.AttentionStats;
import org.wsss4j.cam.CamConfig;
import org.wsss4j.cam.CamKind;
import org.wsss4j.cam.CamOps;
import org.wsss4j.cam.ClassActivation;
import org.wsss4j.data.ClassList;
import org.wsss4j.data.ImageTensors;
import org.wsss4j.data.IndexedPng;
import org.wsss4j.data.RgbImage;
import org.wsss4j.data.VocDataset;
import org.wsss4j.eval.ClassMaps;
import org.wsss4j.eval.ConfusionMatrix;
import org.wsss4j.eval.ErrorAnatomy;
import org.wsss4j.eval.IdealPartMap;
import org.wsss4j.eval.PseudoLabels;
import org.wsss4j.eval.ThresholdedScore;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.model.VitOutput;
import org.wsss4j.report.Charts;
import org.wsss4j.report.Overlays;
import org.wsss4j.report.Provenance;
import org.wsss4j.report.ResultsWriter;
import org.wsss4j.report.Tables;
import org.wsss4j.runtime.Profile;
import org.wsss4j.train.StepLog;
import tech.tablesaw.api.Table;

/**
 * The common baseline (MCTformer-V2 on the shared base) and the synthetic benchmark's gates:
 * classification mAP, partial activation (precision vs recall), semantic attention, entropy over
 * training, flip disagreement and the 3-seed noise floor. Writes results/baseline/.
 */
public final class BaselineExperiment implements MainRowScorer {
    /** The row key of the plain baseline branch every method compares against. */
    public static final String ROW = "baseline";
    static final int EVAL_BATCH = 32;
    /** The method and variant labels of the baseline CAM row in cam_rows. */
    public static final String CAM_METHOD = "baseline CAM";
    public static final String CAM_VARIANT = "scale 1 + flip";

    /** The common baseline every summary row is compared with (methods.md Part 1). */
    public static final MainRow COMMON_BASELINE = new MainRow(Role.COMMON_BASELINE,
            "baseline CAM (MCTformer-V2, baseline branch)", Kind.CAM,
            Map.of(Tables.METHOD, CAM_METHOD, Tables.VARIANT, CAM_VARIANT));

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public String description() {
        return "baseline CAM (MCTformer-V2), the benchmark's gates and the 3-seed noise floor";
    }

    /** What one seed measured. */
    public record SeedResult(
            long seed,
            Map<CamKind, CamEvaluation.Scores> scores,
            double mapClassToken,
            double mapPatchCam,
            double[] objectRatio,
            double[] backgroundRatio,
            double flipDisagreement,
            List<StepLog> history,
            List<ClassMaps> trainMaps,
            Map<CamKind, ErrorAnatomy> anatomy) {}

    @Override
    public Path run(Profile profile) throws IOException {
        long t0 = System.nanoTime();
        Protocol protocol = new Protocol(profile);
        VocDataset val = protocol.dataset("val");
        VocDataset train = protocol.dataset("train");
        List<SeedResult> results = new ArrayList<>();
        for (long seed : profile.seeds()) {
            results.add(runSeed(protocol, seed, val, train));
        }
        ResultsWriter out = ResultsWriter.forExperiment(name());
        VitConfig model = protocol.modelConfig();
        Provenance prov = RunProvenance.of(profile, t0)
                .config("model", model)
                .config("train", protocol.trainConfig(profile.seeds().get(0)))
                .config("warmupSteps", profile.warmupSteps())
                .config("branchSteps", profile.branchSteps())
                .config("cam", CamConfig.BASELINE)
                .config("generator", protocol.generator())
                .build();
        Table rows = rowsTable(results);
        out.write(rows, "cam_rows", prov);
        Table agg = Tables.meanStd(rows, List.of(Tables.METHOD, Tables.VARIANT, Tables.SPLIT,
                        Tables.THRESHOLD_SPLIT),
                List.of(Tables.MIOU, Tables.MIOU_MCT, Tables.PRECISION, Tables.RECALL));
        out.write(agg, "cam_summary", prov);
        ThresholdedScore ideal = protocol.generatorOrNull() == null ? null
                : idealPartMap(protocol.dataset("train_aug"), model.patchSize());
        out.write(gatesTable(results, model.depth(), ideal), "gates", prov);
        out.write(anatomyTable(results), "error_anatomy", prov);
        out.write(classAnatomyTable(results, train.classes()), "class_anatomy", prov);
        out.write(fpSourcesTable(results), "fp_sources", prov);
        out.writeFigure(entropyChart(results.get(0).history()), "entropy_over_training");
        out.writeFigure(overlays(results.get(0), train), "cam_overlays");
        return out.dir();
    }

    /**
     * The gates that failed in a written results/baseline/gates.csv (empty when all pass); a
     * missing file counts as "not measured".
     */
    public static List<String> failedGates(Path baselineDir) throws IOException {
        Path f = baselineDir.resolve("gates.csv");
        if (!java.nio.file.Files.exists(f)) {
            return List.of("gates not measured yet (" + f + " missing)");
        }
        Table t = Table.read().csv(f.toFile());
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            if (!"yes".equals(t.getString(i, "pass"))) {
                failed.add(t.getString(i, "gate") + ": " + t.getString(i, "measured"));
            }
        }
        return failed;
    }

    @Override
    public String rowsTable() {
        return "cam_rows";
    }

    @Override
    public List<MainRow> mainRows(Profile profile, Path dir) {
        return List.of(COMMON_BASELINE);
    }

    /** The baseline CAM of every seed's baseline branch on {@code split}, threshold from val. */
    @Override
    public List<SplitScore> scoreMainRows(Profile profile, String split) throws IOException {
        checkSplit(split);
        Protocol protocol = new Protocol(profile);
        VocDataset val = protocol.dataset("val");
        VocDataset ds = protocol.dataset(split);
        List<SplitScore> out = new ArrayList<>();
        for (long seed : profile.seeds()) {
            try (Protocol.Trained t = branch(protocol, seed)) {
                CamEvaluation.Scores s = CamEvaluation.score(t.model(),
                        CamEvaluation.cam(CamConfig.BASELINE), val, ds, EVAL_BATCH);
                out.add(new SplitScore(COMMON_BASELINE, seed, s.honest(), s.oracle()));
            }
        }
        return out;
    }

    /** {@code split} when a summary may score it: anything but "val", which makes the choices. */
    static String checkSplit(String split) {
        if (split == null || split.isBlank() || split.equals("val")) {
            throw new IllegalArgumentException("split '" + split + "': main rows are scored on"
                    + " a split other than val (val makes every choice)");
        }
        return split;
    }

    /** The baseline branch of {@code seed} (loaded when cached); the caller closes it. */
    public static Protocol.Trained branch(Protocol protocol, long seed) throws IOException {
        return protocol.branch(seed, ROW, List.of(protocol.attentionLog()));
    }

    /** Trains (or loads) the baseline branch of one seed and measures it. */
    public SeedResult runSeed(Protocol protocol, long seed, VocDataset val, VocDataset train)
            throws IOException {
        try (Protocol.Trained t = branch(protocol, seed)) {
            VisionTransformer model = t.model();
            Map<CamKind, CamEvaluation.Scores> scores = new LinkedHashMap<>();
            Map<CamKind, ErrorAnatomy> anatomy = new LinkedHashMap<>();
            List<ClassMaps> trainMaps = null;
            for (CamKind kind : CamKind.values()) {
                CamEvaluation.MapFn fn = CamEvaluation.cam(CamConfig.BASELINE.withKind(kind));
                List<ClassMaps> tm = CamEvaluation.maps(model, train, fn, EVAL_BATCH);
                var v = CamEvaluation.sweep(CamEvaluation.maps(model, val, fn, EVAL_BATCH), val);
                var tr = CamEvaluation.sweep(tm, train);
                var honest = org.wsss4j.eval.ThresholdSweep.chooseOn(v, tr);
                scores.put(kind, new CamEvaluation.Scores(honest, tr.oracle(), v, tr));
                anatomy.put(kind, anatomy(tm, train, honest.threshold()));
                if (kind == CamKind.BASELINE) {
                    trainMaps = tm;
                }
            }
            double[] map = CamEvaluation.classificationMap(model, val, EVAL_BATCH);
            double[][] ratios = attentionRatios(model, val);
            double flip = flipDisagreement(model, val);
            return new SeedResult(seed, scores, map[0], map[1], ratios[0], ratios[1], flip,
                    t.history(), trainMaps, anatomy);
        }
    }

    /** Where the maps of {@code ds} err at threshold {@code t} (region means where parts exist). */
    static ErrorAnatomy anatomy(List<ClassMaps> maps, VocDataset ds, double t) throws IOException {
        ErrorAnatomy a = new ErrorAnatomy(t);
        for (int i = 0; i < maps.size(); i++) {
            a.add(maps.get(i), ds.readMask(i), ds.readParts(i), ds.readBackdrop(i));
        }
        return a;
    }

    /** Gate 3: per block, in-segment attention ratio for object and background query tokens. */
    static double[][] attentionRatios(VisionTransformer model, VocDataset ds) throws IOException {
        int depth = model.config().depth();
        double[] obj = new double[depth];
        double[] bg = new double[depth];
        int[] nObj = new int[depth];
        int[] nBg = new int[depth];
        int p = model.config().patchSize();
        for (int start = 0; start < ds.size(); start += EVAL_BATCH) {
            int end = Math.min(ds.size(), start + EVAL_BATCH);
            try (NDManager m = NDManager.newBaseManager(model.device())) {
                NDList xs = new NDList();
                List<int[]> segs = new ArrayList<>();
                for (int i = start; i < end; i++) {
                    RgbImage img = ds.readImage(i);
                    int gh = img.height() / p, gw = img.width() / p;
                    xs.add(ImageTensors.toNDArray(m, img, gw * p, gh * p, false));
                    var instances = ds.readInstances(i);
                    IndexedPng.LabelMap inst =
                            instances.isPresent() ? instances.get() : ds.readMask(i);
                    segs.add(TokenGrid.majority(inst, gh, gw));
                }
                VitOutput o = model.forward(NDArrays.concat(xs, 0), ForwardRequest.ATTENTION);
                int[][] seg = segs.toArray(new int[0][]);
                for (int b = 0; b < depth; b++) {
                    double[] r = AttentionStats.inSegmentRatio(o.attention().get(b),
                            o.numClassTokens(), seg);
                    if (!Double.isNaN(r[0])) {
                        obj[b] += r[0] * (end - start);
                        nObj[b] += end - start;
                    }
                    if (!Double.isNaN(r[1])) {
                        bg[b] += r[1] * (end - start);
                        nBg[b] += end - start;
                    }
                }
            }
        }
        for (int b = 0; b < depth; b++) {
            obj[b] = nObj[b] == 0 ? Double.NaN : obj[b] / nObj[b];
            bg[b] = nBg[b] == 0 ? Double.NaN : bg[b] / nBg[b];
        }
        return new double[][] {obj, bg};
    }

    /** Gate 5: mean |CAM(x) − unflip(CAM(flip x))| over label-class maps (single view each). */
    static double flipDisagreement(VisionTransformer model, VocDataset ds) throws IOException {
        CamConfig single = CamConfig.BASELINE.withFlip(false);
        List<ClassMaps> a = CamEvaluation.maps(model, ds, CamEvaluation.cam(single), EVAL_BATCH);
        List<ClassMaps> b = CamEvaluation.maps(model, ds,
                (mdl, x) -> CamOps.flipW(ClassActivation.infer(mdl, CamOps.flipW(x), single)),
                EVAL_BATCH);
        double sum = 0;
        long n = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int c = 0; c < a.get(i).maps().length; c++) {
                float[] x = a.get(i).maps()[c];
                float[] y = b.get(i).maps()[c];
                for (int q = 0; q < x.length; q++) {
                    sum += Math.abs(x[q] - y[q]);
                }
                n += x.length;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    static Table rowsTable(List<SeedResult> results) {
        Table t = Tables.results("baseline CAM rows");
        for (SeedResult r : results) {
            for (Map.Entry<CamKind, CamEvaluation.Scores> e : r.scores().entrySet()) {
                String method = methodName(e.getKey());
                Tables.row(t).method(method).variant(CAM_VARIANT).seeds(r.seed())
                        .score(e.getValue().honest()).set("mAP_cls", r.mapClassToken())
                        .set("mAP_patch", r.mapPatchCam()).add();
                Tables.row(t).method(method).variant(CAM_VARIANT).seeds(r.seed())
                        .score(e.getValue().oracle()).set("mAP_cls", r.mapClassToken())
                        .set("mAP_patch", r.mapPatchCam()).add();
            }
        }
        return t;
    }

    /**
     * Per seed and map kind, at the val-chosen threshold on train (gate 2's operating point):
     * where the false positives fall, how many maps are flooded, and the mean map value per
     * region (synthetic data only).
     */
    static Table anatomyTable(List<SeedResult> results) {
        List<String> columns = new ArrayList<>();
        for (String b : ErrorAnatomy.FP_BINS) {
            columns.add("FP share " + b);
        }
        columns.add("flooded maps");
        columns.add("FP share of flooded maps");
        for (String r : ErrorAnatomy.REGIONS) {
            columns.add("mean on " + r);
        }
        Table t = perSeedAndKind("error anatomy", columns);
        for (SeedResult r : results) {
            for (Map.Entry<CamKind, ErrorAnatomy> e : r.anatomy().entrySet()) {
                ErrorAnatomy a = e.getValue();
                appendKey(t, e.getKey(), r.seed(), a);
                double[] fp = a.fpShares();
                for (int k = 0; k < fp.length; k++) {
                    t.doubleColumn("FP share " + ErrorAnatomy.FP_BINS.get(k)).append(fp[k]);
                }
                t.doubleColumn("flooded maps").append(a.floodedShare());
                t.doubleColumn("FP share of flooded maps").append(a.fpShareOfFlooded());
                appendRegionMeans(t, a.regionMeans());
            }
        }
        return t;
    }

    /**
     * {@link #anatomyTable} per class: which classes' maps flood in each seed's model, and where
     * each map kind puts its mass on that class's images (so whether the PatchCAM factor or the
     * class attention makes a class's baseline CAM flood).
     */
    static Table classAnatomyTable(List<SeedResult> results, ClassList classes) {
        Table t = Table.create("class anatomy").addColumns(
                tech.tablesaw.api.StringColumn.create(Tables.METHOD),
                tech.tablesaw.api.IntColumn.create("seed"),
                tech.tablesaw.api.IntColumn.create("class"),
                tech.tablesaw.api.StringColumn.create("name"),
                tech.tablesaw.api.IntColumn.create("maps"),
                tech.tablesaw.api.DoubleColumn.create("flooded maps"),
                tech.tablesaw.api.DoubleColumn.create("FP share"));
        for (String r : ErrorAnatomy.REGIONS) {
            t.addColumns(tech.tablesaw.api.DoubleColumn.create("mean on " + r));
        }
        for (SeedResult r : results) {
            for (Map.Entry<CamKind, ErrorAnatomy> e : r.anatomy().entrySet()) {
                for (ErrorAnatomy.ClassAnatomy c : e.getValue().perClass()) {
                    t.stringColumn(Tables.METHOD).append(methodName(e.getKey()));
                    t.intColumn("seed").append((int) r.seed());
                    t.intColumn("class").append(c.label());
                    t.stringColumn("name").append(classes.nameOf(c.label()));
                    t.intColumn("maps").append(c.maps());
                    t.doubleColumn("flooded maps").append(c.floodedShare());
                    t.doubleColumn("FP share").append(c.fpShare());
                    appendRegionMeans(t, c.regionMeans());
                }
            }
        }
        return t;
    }

    /**
     * Per seed and map kind, at gate 2's operating point: what the false positives fall on —
     * plain background, the class's own context region (the designed context bias), another
     * class's context region, clutter, part-like distractors, decoy bodies, or another object.
     * The shares of a row sum to 1; the rates are the share of each kind's pixels above the
     * threshold (compare with plain background's). NaN where the data set has no backdrop maps
     * (real data).
     */
    static Table fpSourcesTable(List<SeedResult> results) {
        List<String> columns = new ArrayList<>();
        for (String b : ErrorAnatomy.BACKDROPS) {
            columns.add("FP share on " + b);
        }
        columns.add("FP share on other object");
        for (String b : ErrorAnatomy.BACKDROPS) {
            columns.add("rate on " + b);
        }
        Table t = perSeedAndKind("false-positive sources", columns);
        int other = ErrorAnatomy.FP_BINS.indexOf("other object");
        for (SeedResult r : results) {
            for (Map.Entry<CamKind, ErrorAnatomy> e : r.anatomy().entrySet()) {
                ErrorAnatomy a = e.getValue();
                appendKey(t, e.getKey(), r.seed(), a);
                appendOptional(t, "FP share on ", ErrorAnatomy.BACKDROPS, a.backdropShares());
                t.doubleColumn("FP share on other object").append(a.fpShares()[other]);
                appendOptional(t, "rate on ", ErrorAnatomy.BACKDROPS, a.backdropRates());
            }
        }
        return t;
    }

    /** A table keyed by method, seed and threshold, with the given number columns after them. */
    private static Table perSeedAndKind(String name, List<String> columns) {
        Table t = Table.create(name).addColumns(
                tech.tablesaw.api.StringColumn.create(Tables.METHOD),
                tech.tablesaw.api.IntColumn.create("seed"),
                tech.tablesaw.api.DoubleColumn.create(Tables.THRESHOLD));
        for (String c : columns) {
            t.addColumns(tech.tablesaw.api.DoubleColumn.create(c));
        }
        return t;
    }

    private static void appendKey(Table t, CamKind kind, long seed, ErrorAnatomy a) {
        t.stringColumn(Tables.METHOD).append(methodName(kind));
        t.intColumn("seed").append((int) seed);
        t.doubleColumn(Tables.THRESHOLD).append(a.threshold());
    }

    /** One row's "mean on <region>" cells (NaN where the data set has no part masks). */
    private static void appendRegionMeans(Table t, java.util.Optional<double[]> means) {
        appendOptional(t, "mean on ", ErrorAnatomy.REGIONS, means);
    }

    /** One row's "<prefix><name>" cells, NaN where the measurement does not exist (real data). */
    private static void appendOptional(Table t, String prefix, List<String> names,
            java.util.Optional<double[]> values) {
        for (int k = 0; k < names.size(); k++) {
            t.doubleColumn(prefix + names.get(k))
                    .append(values.isEmpty() ? Double.NaN : values.get()[k]);
        }
    }

    static String methodName(CamKind kind) {
        return switch (kind) {
            case BASELINE -> CAM_METHOD;
            case PATCH_CAM -> "PatchCAM";
            case CLASS_ATTENTION -> "class attention";
        };
    }

    /**
     * Gate 2's reference on the benchmark's own geometry: a map that is exactly the visible part,
     * through the CAM's token grid and tail, on train_aug ({@link IdealPartMap}).
     */
    static ThresholdedScore idealPartMap(VocDataset trainAug, int patch) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            return IdealPartMap.measure(m, trainAug, patch);
        }
    }

    /**
     * The six gates of the synthetic benchmark, measured (mean over seeds where it applies), with
     * gate 2's ideal-part-map reference after it when {@code ideal} is not null (synthetic data
     * only).
     */
    static Table gatesTable(List<SeedResult> results, int depth, ThresholdedScore ideal) {
        Table t = Table.create("gates").addColumns(
                tech.tablesaw.api.StringColumn.create("gate"),
                tech.tablesaw.api.StringColumn.create("measured"),
                tech.tablesaw.api.StringColumn.create("criterion"),
                tech.tablesaw.api.StringColumn.create("pass"));
        double map = results.stream().mapToDouble(SeedResult::mapClassToken).average().orElse(0);
        double mapP = results.stream().mapToDouble(SeedResult::mapPatchCam).average().orElse(0);
        add(t, "1 classification mAP (val, class tokens)",
                String.format("%.3f (PatchCAM %.3f)", map, mapP), ">= 0.9", map >= 0.9);
        double prec = results.stream().mapToDouble(
                r -> r.scores().get(CamKind.BASELINE).honest().metrics().precision()).average()
                .orElse(0);
        double rec = results.stream().mapToDouble(
                r -> r.scores().get(CamKind.BASELINE).honest().metrics().recall()).average()
                .orElse(0);
        double miou = results.stream().mapToDouble(
                r -> r.scores().get(CamKind.BASELINE).honest().metrics().mIoU()).average()
                .orElse(0);
        add(t, "2 partial activation (train, val threshold)",
                String.format("precision %.3f, recall %.3f, mIoU %.3f", prec, rec, miou),
                "precision - recall >= 0.15, mIoU well below 1", prec - rec >= 0.15 && miou < 0.8);
        if (ideal != null) {
            double cp = ideal.metrics().precision(), cr = ideal.metrics().recall();
            add(t, "2a reference: ideal part map (train_aug, threshold from its even images)",
                    String.format("precision %.3f, recall %.3f (%+.1f points), threshold %.2f",
                            cp, cr, 100 * (cp - cr), ideal.threshold()),
                    "reported, not gated: a map that is exactly the part", true);
        }
        int half = depth / 2;
        double minDeep = Double.POSITIVE_INFINITY;
        StringBuilder per = new StringBuilder();
        StringBuilder perBg = new StringBuilder();
        for (int b = 0; b < depth; b++) {
            final int bb = b;
            double o = results.stream().mapToDouble(r -> r.objectRatio()[bb]).average().orElse(0);
            double g = results.stream().mapToDouble(r -> r.backgroundRatio()[bb]).average()
                    .orElse(0);
            per.append(String.format("%s%.2f", b == 0 ? "" : " ", o));
            perBg.append(String.format("%s%.2f", b == 0 ? "" : " ", g));
            if (b >= half) {
                minDeep = Math.min(minDeep, o);
            }
        }
        add(t, "3 attention is semantic (val, object tokens, per block)", per.toString(),
                ">= 2 in blocks " + half + ".." + (depth - 1), minDeep >= 2);
        add(t, "3b background tokens' ratio (val, per block; informative)", perBg.toString(),
                "reported, not gated", true);
        Map<Integer, List<double[]>> ent = AttentionLog.entropySeries(results.get(0).history());
        StringBuilder es = new StringBuilder();
        boolean sharpen = !ent.isEmpty();
        for (Map.Entry<Integer, List<double[]>> e : ent.entrySet()) {
            List<double[]> s = e.getValue();
            es.append(String.format("b%d %.2f->%.2f ", e.getKey(), s.get(0)[1],
                    s.get(s.size() - 1)[1]));
        }
        if (!ent.isEmpty()) {
            List<double[]> first = ent.get(0);
            List<double[]> last = ent.get(depth - 1);
            sharpen = last.get(last.size() - 1)[1] < first.get(first.size() - 1)[1];
        }
        add(t, "4 attention entropy over training (seed " + results.get(0).seed() + ")",
                es.toString().trim(), "recorded; deep blocks end sharper than block 0",
                sharpen);
        double flip = results.stream().mapToDouble(SeedResult::flipDisagreement).average()
                .orElse(0);
        add(t, "5 flip disagreement (val)", String.format("%.4f", flip), "> 0 (measurable)",
                flip > 1e-3);
        double[] m = results.stream().mapToDouble(
                r -> r.scores().get(CamKind.BASELINE).honest().metrics().mIoU()).toArray();
        double mean = java.util.Arrays.stream(m).average().orElse(0);
        double sd = m.length < 2 ? Double.NaN : Math.sqrt(java.util.Arrays.stream(m)
                .map(x -> (x - mean) * (x - mean)).sum() / (m.length - 1));
        add(t, "6 noise floor (baseline CAM mIoU, train, val threshold)",
                String.format("%.4f ± %.4f over %d seeds", mean, sd, m.length),
                "3 seeds, mean ± std", m.length >= 3);
        return t;
    }

    private static void add(Table t, String gate, String measured, String criterion,
            boolean pass) {
        t.stringColumn("gate").append(gate);
        t.stringColumn("measured").append(measured);
        t.stringColumn("criterion").append(criterion);
        t.stringColumn("pass").append(pass ? "yes" : "NO");
    }

    static org.knowm.xchart.XYChart entropyChart(List<StepLog> history) {
        List<Charts.Series> series = new ArrayList<>();
        for (Map.Entry<Integer, List<double[]>> e : AttentionLog.entropySeries(history)
                .entrySet()) {
            List<double[]> s = e.getValue();
            series.add(new Charts.Series("block " + e.getKey(),
                    s.stream().mapToDouble(v -> v[0]).toArray(),
                    s.stream().mapToDouble(v -> v[1]).toArray()));
        }
        return Charts.lines("Patch-to-patch attention entropy over training", "step",
                "mean row entropy (nats)", series);
    }

    /** Good and bad cases: image | ground truth | CAM of the top class | pseudo label. */
    static BufferedImage overlays(SeedResult r, VocDataset train) throws IOException {
        double t = r.scores().get(CamKind.BASELINE).honest().threshold();
        List<int[]> ranked = new ArrayList<>(); // {index, iou*1e6}
        for (int i = 0; i < r.trainMaps().size(); i++) {
            ConfusionMatrix cm = new ConfusionMatrix(train.classes().numLabels());
            cm.add(PseudoLabels.label(r.trainMaps().get(i), t).labels(),
                    train.readMask(i).labels());
            // Rank by the objects' IoU: background IoU would favour images with tiny objects.
            double[] iou = cm.metrics().iou();
            double sum = 0;
            int n = 0;
            for (int c = 1; c < iou.length; c++) {
                if (!Double.isNaN(iou[c])) {
                    sum += iou[c];
                    n++;
                }
            }
            ranked.add(new int[] {i, (int) Math.round((n == 0 ? 0 : sum / n) * 1e6)});
        }
        ranked.sort(Comparator.comparingInt(a -> -a[1]));
        List<Integer> picks = new ArrayList<>();
        for (int k = 0; k < 3 && k < ranked.size(); k++) {
            picks.add(ranked.get(k)[0]);
        }
        for (int k = Math.max(3, ranked.size() - 3); k < ranked.size(); k++) {
            picks.add(ranked.get(k)[0]);
        }
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        int scale = 3;
        for (int idx : picks) {
            RgbImage img = train.readImage(idx);
            ClassMaps cm = r.trainMaps().get(idx);
            IndexedPng.LabelMap gt = train.readMask(idx);
            IndexedPng.LabelMap pred = PseudoLabels.label(cm, t);
            tiles.add(Overlays.scale(Overlays.image(img.width(), img.height(), img.rgb()), scale));
            tiles.add(Overlays.scale(Overlays.labels(img.width(), img.height(), img.rgb(), gt, 0.6),
                    scale));
            tiles.add(Overlays.scale(Overlays.heat(img.width(), img.height(), img.rgb(),
                    cm.maps()[0]), scale));
            tiles.add(Overlays.scale(Overlays.labels(img.width(), img.height(), img.rgb(), pred,
                    0.6), scale));
            String id = cm.id();
            String cls = train.classes().nameOf(cm.classes()[0]);
            captions.add(id);
            captions.add("ground truth");
            captions.add("CAM: " + cls);
            captions.add(String.format("pseudo label (t=%.2f)", t));
        }
        return Overlays.grid(tiles, 4, captions);
    }
}
