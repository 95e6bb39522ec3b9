package org.wsss4j.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.wsss4j.cam.CamConfig;
import org.wsss4j.cam.CamOps;
import org.wsss4j.data.IndexedPng.LabelMap;
import org.wsss4j.data.RgbImage;
import org.wsss4j.data.TrainBatches;
import org.wsss4j.data.VocDataset;
import org.wsss4j.eval.ClassMaps;
import org.wsss4j.eval.ObjectSizeRecall;
import org.wsss4j.eval.PseudoLabels;
import org.wsss4j.eval.ThresholdSweep;
import org.wsss4j.eval.ThresholdedScore;
import org.wsss4j.methods.smaf.MapSource;
import org.wsss4j.methods.smaf.OfflineTeacher;
import org.wsss4j.methods.smaf.ScaleFusion;
import org.wsss4j.methods.smaf.SegmentationHead;
import org.wsss4j.methods.smaf.SelfTrainingHook;
import org.wsss4j.methods.smaf.SmafConfig;
import org.wsss4j.methods.smaf.Teacher;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.report.Charts;
import org.wsss4j.report.Overlays;
import org.wsss4j.report.Provenance;
import org.wsss4j.report.ResultsWriter;
import org.wsss4j.report.Tables;
import org.wsss4j.runtime.CodeVersion;
import org.wsss4j.runtime.Engines;
import org.wsss4j.runtime.Profile;
import org.wsss4j.train.BatchSource;
import org.wsss4j.train.LossHook;
import org.wsss4j.train.StepLog;
import org.wsss4j.train.TrainConfig;
import org.wsss4j.train.TrainLoop;
import org.wsss4j.train.TrainState;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Notebook 04, SMAF (methods.md Part 1 and §4) on the shared base; writes results/smaf/.
 *
 * <p><b>Rows.</b> Inference rows score the baseline branch (warm-up + F baseline steps, the model
 * every notebook calls "baseline"): single scale; fused over {1}, {0.5, 1, 1.5}, {0.5, 1, 1.5, 2}
 * each without and with flip; and the common baseline CAM (scale 1 + flip, min–max after the
 * sum). Training rows: the teacher (the warm-up model, "the model before self-training") fused
 * over {0.5, 1, 1.5, 2} + flip; self-training from the warm-up for F steps (the main row: denoise +
 * reactivate, target background = the constant chosen on {@code val} for the teacher's fused maps),
 * its ablations (without denoise / without reactivation / both), the paper's fixed constant 0.2 in
 * the target; and the control — the baseline continued as long, i.e. the baseline branch itself
 * for one round (F steps), scored with the same fusion as the teacher. Optionally two rounds
 * (round 2's teacher = round 1's student, F more steps) against the baseline continued 2F steps.
 * The self-training rows are scored by SMAF's pseudo masks: the student head's softmax foreground
 * channels fused over {0.5, 1, 1.5, 2} + flip (§4.5, no CRF).
 *
 * <p><b>Scores.</b> Every row on {@code train} three ways: background constant chosen on
 * {@code val} (honest), the best constant on {@code train} (oracle, the papers' protocol) and the
 * paper's fixed 0.2 (labelled "paper 0.2"), each with per-object recall by object-size bucket. The
 * buckets are the tertiles of the object areas (÷ image area) of {@code val}'s ground truth
 * (SegmentationObject), stated in {@code size_buckets}. The baseline CAM, the fused map of the
 * baseline, the teacher and the main self-training row run with every seed of the profile; the
 * other rows with its first seed.
 */
public final class SmafExperiment implements MainRowScorer {
    public static final String NAME = "smaf";
    /** The scale sets of the fusion rows. */
    public static final List<List<Double>> SCALE_SETS =
            List.of(List.of(1.0), List.of(0.5, 1.0, 1.5), List.of(0.5, 1.0, 1.5, 2.0));

    static final String BASELINE_CAM = "baseline CAM";
    static final String FUSED = "fused (baseline branch)";
    static final String TEACHER = "teacher (warm-up), fused";
    static final String SELF_TRAINING = "+ self-training";
    static final String CONTROL = "control: baseline continued as long";
    static final String PAPER_SPLIT = "paper";
    /** The main row; its per-seed constant is in the {@code target_bg} column. */
    static final String MAIN_VARIANT = "denoise + reactivate, target bg chosen on val";
    static final double PAPER_BACKGROUND = 0.2;

    /**
     * Which rows run besides the always-present ones.
     *
     * @param smaf the method's configuration (the paper's by default; its background is replaced
     *     by the val-chosen constant in the main row)
     * @param ablations the without-denoise / without-reactivation / both rows
     * @param paperBackgroundRow a self-training row whose target uses the paper's 0.2
     * @param twoRoundsRow a second round (and its 2F control)
     */
    public record Options(
            SmafConfig smaf, boolean ablations, boolean paperBackgroundRow, boolean twoRoundsRow) {
        public static final Options DEFAULT = new Options(SmafConfig.PAPER, true, true, false);

        public Options withTwoRounds(boolean on) {
            return new Options(smaf, ablations, paperBackgroundRow, on);
        }
    }

    /**
     * One scored row of one seed.
     *
     * @param scores on train: threshold chosen on val, oracle, the paper's 0.2 (in this order)
     * @param recall per-object recall by size bucket at each of those thresholds
     * @param steps training steps of this row after the shared warm-up (0 for the teacher)
     * @param trainSeconds wall time of those steps (as logged when they ran)
     * @param targetBackground the self-training target's background constant (NaN otherwise)
     */
    public record RowResult(
            String method,
            String variant,
            long seed,
            List<ThresholdedScore> scores,
            List<Map<ObjectSizeRecall.Size, ObjectSizeRecall.BucketSummary>> recall,
            int steps,
            long imagesSeen,
            double trainSeconds,
            double evalSeconds,
            double targetBackground) {}

    private final Options options;

    public SmafExperiment() {
        this(Options.DEFAULT);
    }

    public SmafExperiment(Options options) {
        this.options = options;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "SMAF: multi-scale fusion, denoise + reactivate, self-training vs its control";
    }

    @Override
    public Path run(Profile profile) throws IOException {
        Session s = session(profile);
        s.fusionRows();
        s.selfTrainingRows();
        return s.write();
    }

    /** A run on {@code profile} whose steps a notebook calls one by one. */
    public Session session(Profile profile) {
        return new Session(profile, "train");
    }

    static final String BASELINE_CAM_VARIANT = "scale 1 + flip (min-max of the sum)";

    @Override
    public String rowsTable() {
        return "smaf_rows";
    }

    /** The summary's rows: the baseline CAM and the main self-training row (pseudo masks). */
    @Override
    public List<MainRow> mainRows(Profile profile, Path dir) {
        return List.of(
                new MainRow(Role.OWN_BASELINE, "SMAF's baseline (baseline CAM, baseline branch)",
                        Kind.CAM, Map.of(Tables.METHOD, BASELINE_CAM,
                                Tables.VARIANT, BASELINE_CAM_VARIANT)),
                new MainRow(Role.MAIN, "SMAF: {0.5,1,1.5,2} + flip, denoise + reactivate,"
                        + " + self-training", Kind.PSEUDO_MASK, Map.of(
                                Tables.METHOD, SELF_TRAINING, Tables.VARIANT, MAIN_VARIANT)));
    }

    /**
     * The baseline CAM and the main self-training row of every seed on {@code split}: the
     * teacher's background constant and the scoring threshold are chosen on val, as {@link
     * #run} chooses them for train.
     */
    @Override
    public List<SplitScore> scoreMainRows(Profile profile, String split) throws IOException {
        Session s = new Session(profile, BaselineExperiment.checkSplit(split));
        List<MainRow> rows = mainRows(profile, null);
        List<SplitScore> out = new ArrayList<>();
        for (long seed : profile.seeds()) {
            List<RowResult> r = s.mainRows(seed);
            for (int i = 0; i < rows.size(); i++) {
                out.add(new SplitScore(rows.get(i), seed, r.get(i).scores().get(0),
                        r.get(i).scores().get(1)));
            }
        }
        return out;
    }

    /** The steps of one run; results accumulate until {@link #write()}. */
    public final class Session {
        private final Profile profile;
        private final Protocol protocol;
        private final long started = System.nanoTime();
        private final List<RowResult> results = new ArrayList<>();
        private final Map<String, List<ClassMaps>> overlayMaps = new LinkedHashMap<>();
        private final Map<String, Double> overlayThresholds = new LinkedHashMap<>();
        /** Per seed, the baseline branch fused like the teacher (the one-round control). */
        private final Map<Long, RowResult> fullFusion = new LinkedHashMap<>();
        private ObjectSizeRecall.Buckets buckets;
        private VocDataset val;
        /** The evaluated split ("train" for the notebook's rows; the summary's "test"). */
        private VocDataset train;
        private final String split;

        Session(Profile profile, String split) {
            this.profile = profile;
            this.protocol = new Protocol(profile);
            this.split = split;
        }

        public Profile profile() {
            return profile;
        }

        public List<RowResult> results() {
            return List.copyOf(results);
        }

        private void open() throws IOException {
            if (val == null) {
                val = protocol.dataset("val");
                train = protocol.dataset(split);
                buckets = sizeBuckets(val);
            }
        }

        /** Size buckets (tertiles of val's object areas), as a table. */
        public Table sizeBucketsTable() throws IOException {
            open();
            Table t = Table.create("size buckets").addColumns(StringColumn.create("bucket"),
                    StringColumn.create("object area / image area"),
                    IntColumn.create("objects (val)"));
            Map<ObjectSizeRecall.Size, Integer> n = new EnumMap<>(ObjectSizeRecall.Size.class);
            for (double a : objectAreas(val)) {
                n.merge(buckets.of(a), 1, Integer::sum);
            }
            String lo = fmt(buckets.smallBelow()), hi = fmt(buckets.largeAbove());
            String[] ranges = {"< " + lo, lo + " .. " + hi, "> " + hi};
            for (ObjectSizeRecall.Size s : ObjectSizeRecall.Size.values()) {
                t.stringColumn("bucket").append(s.name().toLowerCase(Locale.ROOT));
                t.stringColumn("object area / image area").append(ranges[s.ordinal()]);
                t.intColumn("objects (val)").append(n.getOrDefault(s, 0));
            }
            return t;
        }

        /**
         * The inference rows on the baseline branch: the baseline CAM and the fused maps over
         * {1}, {0.5, 1, 1.5}, {0.5, 1, 1.5, 2} ± flip (first seed; the full fusion every seed).
         */
        public Table fusionRows() throws IOException {
            open();
            List<RowResult> added = new ArrayList<>();
            for (long seed : profile.seeds()) {
                boolean first = seed == profile.seeds().get(0);
                try (Protocol.Trained t = baselineBranch(seed, profile.branchSteps())) {
                    double trainS = seconds(t.history(), profile.warmupSteps());
                    added.add(baselineCamRow(seed, t, first));
                    Fusion paper = new Fusion(options.smaf().scales(), options.smaf().flip());
                    List<Fusion> rows = new ArrayList<>();
                    for (List<Double> scales : SCALE_SETS) {
                        for (boolean flip : new boolean[] {false, true}) {
                            Fusion f = new Fusion(scales, flip);
                            if (first || f.equals(paper)) {
                                rows.add(f);
                            }
                        }
                    }
                    if (rows.isEmpty()) {
                        continue; // later seeds score only the paper's fusion, if it is a row
                    }
                    // The rows' maps from one set of passes per image.
                    long t0 = System.nanoTime();
                    Map<Fusion, List<ClassMaps>> valMaps =
                            fusedMaps(t.model(), val, rows, BaselineExperiment.EVAL_BATCH);
                    Map<Fusion, List<ClassMaps>> trainMaps =
                            fusedMaps(t.model(), train, rows, BaselineExperiment.EVAL_BATCH);
                    double perRowS = (System.nanoTime() - t0) / 1e9 / rows.size();
                    for (Fusion f : rows) {
                        boolean full = f.equals(paper);
                        RowResult r = scoreMaps(FUSED, f.name(), seed, valMaps.get(f),
                                trainMaps.get(f), trainS, profile.branchSteps(), Double.NaN,
                                first && full ? "fused, baseline" : null, perRowS);
                        added.add(r);
                        if (full) {
                            fullFusion.put(seed, r);
                        }
                    }
                }
            }
            results.addAll(added);
            return rowsTable(added, "fusion rows");
        }

        /**
         * The training rows: teacher, self-training (main row every seed; ablations and the
         * paper-constant row on the first seed), the control, optionally two rounds.
         */
        public Table selfTrainingRows() throws IOException {
            open();
            List<RowResult> added = new ArrayList<>();
            SmafConfig paper = options.smaf();
            int f = profile.branchSteps();
            for (long seed : profile.seeds()) {
                boolean first = seed == profile.seeds().get(0);
                try (Teacher teacher = warmupTeacher(seed, paper)) {
                    RowResult tr = teacherRow(seed, teacher, first);
                    added.add(tr);
                    SmafConfig main = mainConfig(tr);
                    // The rows of this seed share batches and teacher: fuse each image once.
                    try (TrainBatches order = protocol.batchOrder(seed)) {
                        OfflineTeacher maps = offlineTeacher(teacher, main, order);
                        added.addAll(selfTrain(seed, maps, main, SELF_TRAINING,
                                MAIN_VARIANT,
                                first ? "self-training" : null, first && options.twoRoundsRow()));
                        if (first && options.ablations()) {
                            added.addAll(selfTrain(seed, maps, main.withDenoise(false),
                                    SELF_TRAINING, "without denoise", null, false));
                            added.addAll(selfTrain(seed, maps, main.withReactivate(false),
                                    SELF_TRAINING, "without reactivation", null, false));
                            added.addAll(selfTrain(seed, maps,
                                    main.withDenoise(false).withReactivate(false), SELF_TRAINING,
                                    "without denoise and reactivation", null, false));
                        }
                        if (first && options.paperBackgroundRow()) {
                            added.addAll(selfTrain(seed, maps,
                                    main.withBackground(PAPER_BACKGROUND), SELF_TRAINING,
                                    "denoise + reactivate, target bg 0.2 (paper)", null, false));
                        }
                    }
                }
                // The control: the baseline continued for as many steps as the self-training.
                // For one round that is the baseline branch itself, already scored with the
                // teacher's fusion by fusionRows when it ran.
                String controlName = "baseline +" + f + " steps, "
                        + fusionName(paper.scales(), paper.flip());
                RowResult fused = fullFusion.get(seed);
                if (fused != null) {
                    added.add(relabel(fused, CONTROL, controlName));
                } else {
                    try (Protocol.Trained t = baselineBranch(seed, f)) {
                        added.add(score(CONTROL, controlName, seed, t.model(),
                                fusedCam(paper.scales(), paper.flip()),
                                seconds(t.history(), profile.warmupSteps()), f, Double.NaN,
                                null));
                    }
                }
                if (first && options.twoRoundsRow()) {
                    try (Protocol.Trained t = baselineBranch(seed, 2 * f)) {
                        added.add(score(CONTROL, "baseline +" + 2 * f + " steps, "
                                        + fusionName(paper.scales(), paper.flip()), seed,
                                t.model(), fusedCam(paper.scales(), paper.flip()),
                                seconds(t.history(), profile.warmupSteps()), 2 * f, Double.NaN,
                                null));
                    }
                }
            }
            results.addAll(added);
            return rowsTable(added, "self-training rows");
        }

        /** The baseline CAM of a baseline branch (scale 1 + flip, min-max of the sum). */
        private RowResult baselineCamRow(long seed, Protocol.Trained t, boolean overlay)
                throws IOException {
            return score(BASELINE_CAM, BASELINE_CAM_VARIANT, seed, t.model(),
                    scoped(CamEvaluation.cam(CamConfig.BASELINE)),
                    seconds(t.history(), profile.warmupSteps()), profile.branchSteps(),
                    Double.NaN, overlay ? "baseline CAM" : null);
        }

        /** The teacher's fused maps; its val-chosen constant is the main row's target bg. */
        private RowResult teacherRow(long seed, Teacher teacher, boolean overlay)
                throws IOException {
            SmafConfig paper = options.smaf();
            return score(TEACHER, fusionName(paper.scales(), paper.flip()), seed,
                    teacher.model(), fusedCam(paper.scales(), paper.flip()), 0, 0, Double.NaN,
                    overlay ? "teacher" : null);
        }

        /** The main row's configuration: the target background chosen on val for the teacher. */
        private SmafConfig mainConfig(RowResult teacherRow) {
            double bg = teacherRow.scores().get(0).threshold(); // chosen on val
            return options.smaf().withBackground(bg).withRounds(1);
        }

        /**
         * The summary's rows of one seed on this session's split: the baseline CAM of the
         * baseline branch and the main self-training row, every choice made on val.
         */
        List<RowResult> mainRows(long seed) throws IOException {
            open();
            List<RowResult> out = new ArrayList<>();
            try (Protocol.Trained t = baselineBranch(seed, profile.branchSteps())) {
                out.add(baselineCamRow(seed, t, false));
            }
            try (Teacher teacher = warmupTeacher(seed, options.smaf())) {
                SmafConfig main = mainConfig(teacherRow(seed, teacher, false));
                try (TrainBatches order = protocol.batchOrder(seed)) {
                    out.addAll(selfTrain(seed, offlineTeacher(teacher, main, order), main,
                            SELF_TRAINING, MAIN_VARIANT, null, false));
                }
            }
            return out;
        }

        /** Every row so far, one line per seed and threshold protocol. */
        public Table rows() {
            return rowsTable(results, "smaf rows");
        }

        /** Mean ± std over seeds per row and threshold protocol. */
        public Table summary() {
            return Tables.meanStd(rows(), List.of(Tables.METHOD, Tables.VARIANT, Tables.SPLIT,
                            Tables.THRESHOLD_SPLIT),
                    List.of(Tables.MIOU, Tables.MIOU_MCT, Tables.PRECISION, Tables.RECALL,
                            "recall_small", "recall_medium", "recall_large"));
        }

        /**
         * The honest rows (threshold chosen on val) with the difference to the baseline CAM and
         * whether it is beyond its 3-seed noise floor.
         */
        public Table honestSummary() {
            Table s = summary();
            Table honest = s.where(s.stringColumn(Tables.THRESHOLD_SPLIT).isEqualTo("val"));
            return Tables.withNoise(honest, Tables.MIOU, BASELINE_CAM);
        }

        /** mIoU (val-chosen constant) per row, mean ± std over its seeds. */
        public CategoryChart miouChart() {
            Table h = honestSummary();
            List<String> labels = new ArrayList<>();
            for (int r = 0; r < h.rowCount(); r++) {
                labels.add(shortLabel(h.stringColumn(Tables.METHOD).get(r),
                        h.stringColumn(Tables.VARIANT).get(r)));
            }
            return Charts.barWithErrors("SMAF rows: mIoU on train (threshold chosen on val)",
                    "mIoU", labels, h.doubleColumn(Tables.MIOU + "_mean").asDoubleArray(),
                    h.doubleColumn(Tables.MIOU + "_std").asDoubleArray());
        }

        /** Per-object recall by size bucket per row (val-chosen constant, mean over seeds). */
        public CategoryChart recallChart() {
            Table h = honestSummary();
            CategoryChart c = new CategoryChartBuilder()
                    .width(ResultsWriter.FIGURE_WIDTH + 200)
                    .height(ResultsWriter.FIGURE_HEIGHT)
                    .title(String.format(Locale.ROOT,
                            "Per-object recall by size (area / image: small < %s, large > %s)",
                            fmt(buckets.smallBelow()), fmt(buckets.largeAbove())))
                    .yAxisTitle("mean object recall (train)")
                    .build();
            c.getStyler().setXAxisLabelRotation(35);
            c.getStyler().setYAxisMin(0.0);
            c.getStyler().setYAxisMax(1.0);
            List<String> labels = new ArrayList<>();
            for (int r = 0; r < h.rowCount(); r++) {
                labels.add(shortLabel(h.stringColumn(Tables.METHOD).get(r),
                        h.stringColumn(Tables.VARIANT).get(r)));
            }
            for (String b : List.of("small", "medium", "large")) {
                double[] v = h.doubleColumn("recall_" + b + "_mean").asDoubleArray();
                List<Double> y = new ArrayList<>();
                for (double d : v) {
                    y.add(Double.isNaN(d) ? 0.0 : d);
                }
                c.addSeries(b, labels, y);
            }
            return c;
        }

        /**
         * Train images (first seed, val-chosen constant): image, ground truth, then the pseudo
         * labels of the baseline CAM, the fused baseline, the teacher and the self-trained head.
         */
        public BufferedImage overlays(int images) throws IOException {
            open();
            List<BufferedImage> tiles = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            int cols = 2 + overlayMaps.size();
            for (int i = 0; i < Math.min(images, train.size()); i++) {
                RgbImage img = train.readImage(i);
                int w = img.width(), h = img.height();
                tiles.add(Overlays.scale(Overlays.image(w, h, img.rgb()), 2));
                captions.add(train.id(i));
                tiles.add(Overlays.scale(Overlays.labels(w, h, img.rgb(), train.readMask(i), 0.6),
                        2));
                captions.add("ground truth");
                for (Map.Entry<String, List<ClassMaps>> e : overlayMaps.entrySet()) {
                    double t = overlayThresholds.get(e.getKey());
                    LabelMap pred = PseudoLabels.label(e.getValue().get(i), t);
                    tiles.add(Overlays.scale(Overlays.labels(w, h, img.rgb(), pred, 0.6), 2));
                    captions.add(e.getKey() + String.format(Locale.ROOT, " (t=%.2f)", t));
                }
            }
            return Overlays.grid(tiles, cols, captions);
        }

        /** Writes rows, summaries, buckets and figures to results/smaf/; returns the folder. */
        public Path write() throws IOException {
            open();
            ResultsWriter out = ResultsWriter.forExperiment(NAME);
            Provenance prov = RunProvenance.of(profile, started)
                    .config("model", protocol.modelConfig())
                    .config("train", protocol.trainConfig(profile.seeds().get(0)))
                    .config("warmupSteps", profile.warmupSteps())
                    .config("branchSteps", profile.branchSteps())
                    .config("smaf", options.smaf())
                    .config("options", options)
                    .config("sizeBuckets", buckets)
                    .config("scoring", "background constant chosen on val (honest), oracle on"
                            + " train, paper's fixed 0.2; pseudo masks without CRF")
                    .config("backbone", "shared base (MCTformer-V2 layout ViT), not the paper's"
                            + " EPS/WideResNet-38; per-pass min-max of the baseline CAM")
                    .build();
            out.write(rows(), "smaf_rows", prov);
            out.write(summary(), "smaf_summary", prov);
            out.write(honestSummary(), "smaf_honest", prov);
            out.write(sizeBucketsTable(), "size_buckets", prov);
            out.writeFigure(miouChart(), "smaf_miou");
            out.writeFigure(recallChart(), "object_recall_by_size");
            if (!overlayMaps.isEmpty()) {
                out.writeFigure(overlays(6), "smaf_overlays");
            }
            return out.dir();
        }

        // ---- training ---------------------------------------------------------------------

        private Protocol.Trained baselineBranch(long seed, int steps) throws IOException {
            // The same hooks as BaselineExperiment, so the cached branch is shared with it.
            return protocol.branch(seed, BaselineExperiment.ROW,
                    List.of(protocol.attentionLog()), steps);
        }

        /** A frozen copy of the warm-up model of {@code seed}, seeing the baseline CAM. */
        private Teacher warmupTeacher(long seed, SmafConfig cfg) throws IOException {
            try (Protocol.Trained warm = protocol.warmup(seed)) {
                return Teacher.ofCam(warm.model(), cfg.camKind(), cfg.camLastBlocks());
            }
        }

        /**
         * The round-1 teacher's maps fused once per train_aug image that the branch steps
         * W .. W + F − 1 draw (as {@code cfg} fuses), computed when a branch first needs them,
         * following {@code order}'s samples.
         */
        private OfflineTeacher offlineTeacher(Teacher teacher, SmafConfig cfg,
                TrainBatches order) {
            VocDataset trainAug = order.dataset();
            int c = trainAug.classes().numClasses();
            int p = teacher.patchSize();
            long from = profile.warmupSteps();
            return new OfflineTeacher(need -> {
                long t0 = System.nanoTime();
                List<OfflineTeacher.Fused> out = new ArrayList<>(need.length);
                try {
                    EqualSizeBatches.forEach(teacher.model(), trainAug, need,
                            Teacher.CHUNK, (x, first, originals) -> {
                                // The per-step teacher's resolution: targetScale x the grid.
                                int mh = (int) x.getShape().get(2) / p * cfg.targetScale();
                                int mw = (int) x.getShape().get(3) / p * cfg.targetScale();
                                float[] v = ScaleFusion.fuse(teacher, x, cfg.scales(),
                                        cfg.flip(), mh, mw).toFloatArray();
                                int size = c * mh * mw;
                                for (int k = 0; k < originals.size(); k++) {
                                    out.add(new OfflineTeacher.Fused(originals.get(k).width(),
                                            originals.get(k).height(), mw, mh,
                                            java.util.Arrays.copyOfRange(v, k * size,
                                                    (k + 1) * size)));
                                }
                            });
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                System.out.printf(Locale.ROOT,
                        "SMAF offline teacher: %d of %d images (those the branch draws) fused"
                                + " in %.1f s%n",
                        out.size(), trainAug.size(), (System.nanoTime() - t0) / 1e9);
                return out;
            }, order, from, from + profile.branchSteps(), c, cfg);
        }

        /**
         * Self-training from the warm-up for F steps with {@code cfg} (and, if asked, a second
         * round of F more steps whose teacher is round 1's student), scored by its pseudo masks.
         */
        private List<RowResult> selfTrain(long seed, OfflineTeacher offline,
                SmafConfig cfg, String method, String variant, String overlayName,
                boolean secondRound) throws IOException {
            int f = profile.branchSteps();
            var mc = protocol.modelConfig();
            try (SegmentationHead head = new SegmentationHead(mc.embedDim(), mc.numClasses(),
                    Engines.device(), seed)) {
                SelfTrainingHook hook = new SelfTrainingHook(offline, head, cfg);
                String key = rowKey(cfg);
                try (Protocol.Trained t = protocol.branch(seed, key, List.<LossHook>of(hook), f)) {
                    double trainS = seconds(t.history(), profile.warmupSteps());
                    RowResult r = score(method, variant, seed, t.model(), headMasks(head, cfg),
                            trainS, f, cfg.background(), overlayName);
                    if (!secondRound) {
                        return List.of(r);
                    }
                    return List.of(r, secondRound(seed, t, head, cfg, key, trainS));
                }
            }
        }

        /** Round 2 continues round 1's student (its checkpoint) with round 1's student as teacher. */
        private RowResult secondRound(long seed, Protocol.Trained round1, SegmentationHead head,
                SmafConfig cfg, String key, double round1Seconds) throws IOException {
            int f = profile.branchSteps();
            long from = profile.warmupSteps() + (long) f;
            long to = from + f;
            Path dir = round1.dir().resolveSibling(Protocol.safe(key + "-round2") + "-" + f);
            VisionTransformer model = round1.model();
            // The schedule of a 2F branch, as the 2F control's; the optimiser starts afresh.
            TrainConfig tc = protocol.trainConfig(seed).withTotalSteps((int) to);
            double seconds;
            try (Teacher teacher2 = Teacher.ofHead(model, head);
                    TrainLoop loop = new TrainLoop(model, tc,
                            List.of(new SelfTrainingHook(teacher2, head, cfg.withRounds(2))))) {
                long start = from;
                if (TrainState.exists(dir)) {
                    start = loop.resume(dir);
                }
                if (start < to) {
                    try (TrainBatches b = protocol.batches(seed)) {
                        BatchSource src = (step, m) -> {
                            TrainBatches.Batch tb = b.get(step, m);
                            return new BatchSource.Batch(tb.images(), tb.labels());
                        };
                        loop.run(src, start, to, dir, key + "-round2", "SMAF round 2 seed " + seed,
                                profile.batch());
                    }
                }
                seconds = round1Seconds + seconds(loop.history(), from);
            }
            return score(SELF_TRAINING, "2 rounds (round 2's teacher = round 1's student)", seed,
                    model, headMasks(head, cfg), seconds, 2 * f, cfg.background(), null);
        }

        // ---- scoring ----------------------------------------------------------------------

        private RowResult score(String method, String variant, long seed,
                VisionTransformer model, CamEvaluation.MapFn fn, double trainSeconds, int steps,
                double targetBg, String overlayName) throws IOException {
            long t0 = System.nanoTime();
            int batch = BaselineExperiment.EVAL_BATCH;
            List<ClassMaps> valMaps = CamEvaluation.maps(model, val, fn, batch);
            List<ClassMaps> trainMaps = CamEvaluation.maps(model, train, fn, batch);
            return scoreMaps(method, variant, seed, valMaps, trainMaps, trainSeconds, steps,
                    targetBg, overlayName, (System.nanoTime() - t0) / 1e9);
        }

        /**
         * A row from maps already made ({@code mapSeconds}: the time they took, counted in the
         * row's evaluation time).
         */
        private RowResult scoreMaps(String method, String variant, long seed,
                List<ClassMaps> valMaps, List<ClassMaps> trainMaps, double trainSeconds,
                int steps, double targetBg, String overlayName, double mapSeconds)
                throws IOException {
            long t0 = System.nanoTime();
            ThresholdSweep v = CamEvaluation.sweep(valMaps, val);
            ThresholdSweep tr = CamEvaluation.sweep(trainMaps, train);
            List<ThresholdedScore> scores = List.of(ThresholdSweep.chooseOn(v, tr), tr.oracle(),
                    tr.scoreAt(PAPER_BACKGROUND, PAPER_SPLIT));
            List<Map<ObjectSizeRecall.Size, ObjectSizeRecall.BucketSummary>> recall =
                    new ArrayList<>();
            for (ThresholdedScore s : scores) {
                recall.add(objectRecall(trainMaps, s.threshold()));
            }
            if (overlayName != null) {
                overlayMaps.put(overlayName, trainMaps);
                overlayThresholds.put(overlayName, scores.get(0).threshold());
            }
            double evalS = mapSeconds + (System.nanoTime() - t0) / 1e9;
            return new RowResult(method, variant, seed, scores, recall, steps,
                    (long) steps * profile.batch(), trainSeconds, evalS, targetBg);
        }

        private Map<ObjectSizeRecall.Size, ObjectSizeRecall.BucketSummary> objectRecall(
                List<ClassMaps> maps, double t) throws IOException {
            ObjectSizeRecall osr = new ObjectSizeRecall(buckets);
            for (int i = 0; i < maps.size(); i++) {
                Optional<LabelMap> inst = train.readInstances(i);
                if (inst.isPresent()) {
                    osr.add(train.id(i), inst.get(), train.readMask(i),
                            PseudoLabels.label(maps.get(i), t));
                }
            }
            return osr.summary();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    /**
     * {@code fn} with everything it creates but its result freed on return, and the result moved
     * to the images' manager: a forward's outputs otherwise stay in the model's parameter
     * manager until the model is closed (hundreds of MB of attention per evaluated split).
     */
    static CamEvaluation.MapFn scoped(CamEvaluation.MapFn fn) {
        return (model, x) -> {
            try (NDScope scope = new NDScope()) {
                NDArray out = fn.maps(model, x);
                out.attach(x.getManager());
                NDScope.unregister(out);
                return out;
            }
        };
    }

    static RowResult relabel(RowResult r, String method, String variant) {
        return new RowResult(method, variant, r.seed(), r.scores(), r.recall(), r.steps(),
                r.imagesSeen(), r.trainSeconds(), r.evalSeconds(), r.targetBackground());
    }

    /** One fusion row's scales and flip. */
    record Fusion(List<Double> scales, boolean flip) {
        String name() {
            return fusionName(scales, flip);
        }
    }

    /**
     * The maps of {@link #fusedCam} for each of {@code fusions} over {@code ds} at its images'
     * size: the same numbers as {@link CamEvaluation#maps} with each fusedCam, but every scale's
     * forwards run once per image, however many of the fusions use it.
     */
    static Map<Fusion, List<ClassMaps>> fusedMaps(VisionTransformer model, VocDataset ds,
            List<Fusion> fusions, int batch) throws IOException {
        MapSource source = paperCam(model);
        List<Double> union = fusions.stream().flatMap(f -> f.scales().stream()).distinct()
                .toList();
        boolean anyFlip = fusions.stream().anyMatch(Fusion::flip);
        Map<Fusion, List<ClassMaps>> out = new LinkedHashMap<>();
        EqualSizeBatches.forEach(model, ds, batch, (x, first, originals) -> {
            RgbImage img = originals.get(0);
            Map<Double, ScaleFusion.ScalePass> passes = ScaleFusion.passes(source, x, union,
                    anyFlip, (int) x.getShape().get(2), (int) x.getShape().get(3));
            for (Fusion f : fusions) {
                NDArray maps = CamOps.resize(ScaleFusion.fuseFrom(passes, f.scales(), f.flip()),
                        img.height(), img.width());
                out.computeIfAbsent(f, k -> new ArrayList<>())
                        .addAll(CamEvaluation.toClassMaps(maps, ds, first));
            }
        });
        return out;
    }

    /** The map source of SMAF's fusion: the paper configuration's CAM of {@code model}. */
    private static MapSource paperCam(VisionTransformer model) {
        SmafConfig c = SmafConfig.PAPER;
        return MapSource.cam(model, c.camKind(), c.camLastBlocks());
    }

    /** The baseline CAM of each pass, min–max per pass, fused (the teacher's map). */
    static CamEvaluation.MapFn fusedCam(List<Double> scales, boolean flip) {
        return (model, x) -> ScaleFusion.fuse(paperCam(model), x, scales, flip,
                (int) x.getShape().get(2), (int) x.getShape().get(3));
    }

    /** SMAF's pseudo-mask maps: the head's softmax foreground channels, fused (§4.5). */
    static CamEvaluation.MapFn headMasks(SegmentationHead head, SmafConfig cfg) {
        return (model, x) -> ScaleFusion.fuse(head.source(model), x, cfg.scales(), cfg.flip(),
                (int) x.getShape().get(2), (int) x.getShape().get(3));
    }

    /**
     * The branch cache key of a self-training configuration: changes with every switch and with
     * the compiled code of the SMAF package (the warm-up it starts from is keyed by the rest).
     */
    static String rowKey(SmafConfig c) {
        StringBuilder s = new StringBuilder("smaf");
        for (double x : c.scales()) {
            s.append('_').append(fmt(x));
        }
        s.append(c.flip() ? "-flip" : "-noflip")
                .append("-bg").append(fmt(c.background()))
                .append(c.denoise() ? "-dn" : "-nodn")
                .append(c.reactivate() ? "-ra" : "-nora")
                .append("-w").append(fmt(c.lossWeight()))
                .append("-t").append(c.targetScale())
                .append('-').append(c.camKind().name().toLowerCase(Locale.ROOT))
                .append(c.camLastBlocks())
                .append("-code").append(CodeVersion.of(CodeVersion.class,
                        "org.wsss4j.methods.smaf"));
        return s.toString();
    }

    static String fusionName(List<Double> scales, boolean flip) {
        StringBuilder s = new StringBuilder(scales.size() == 1 && !flip ? "single scale {" : "{");
        for (int i = 0; i < scales.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(fmt(scales.get(i)));
        }
        return s.append('}').append(flip ? " + flip" : "").toString();
    }

    private static String shortLabel(String method, String variant) {
        return method + ": " + variant;
    }

    /** Seconds of the steps at or after {@code from} (this row's own steps, not the warm-up). */
    static double seconds(List<StepLog> history, long from) {
        double ms = 0;
        for (StepLog l : history) {
            if (l.step() >= from) {
                ms += l.millis();
            }
        }
        return ms / 1000.0;
    }

    static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** Area fractions of every object of {@code ds} with an instance map. */
    static double[] objectAreas(VocDataset ds) throws IOException {
        ObjectSizeRecall osr = new ObjectSizeRecall();
        for (int i = 0; i < ds.size(); i++) {
            Optional<LabelMap> inst = ds.readInstances(i);
            if (inst.isPresent()) {
                LabelMap cls = ds.readMask(i);
                osr.add(ds.id(i), inst.get(), cls, cls);
            }
        }
        return osr.objects().stream().mapToDouble(ObjectSizeRecall.ObjectRecall::areaFraction)
                .toArray();
    }

    /**
     * Tertiles of val's object areas (ground truth only), so each bucket holds a third of the
     * objects; the defaults (2 %, 10 %) when val has fewer than 3 objects.
     */
    static ObjectSizeRecall.Buckets sizeBuckets(VocDataset val) throws IOException {
        double[] a = objectAreas(val);
        if (a.length < 3) {
            return ObjectSizeRecall.Buckets.DEFAULT;
        }
        Arrays.sort(a);
        double lo = round3(a[a.length / 3]);
        double hi = round3(a[(2 * a.length) / 3]);
        lo = Math.max(lo, 0.001);
        hi = Math.min(Math.max(hi, lo), 0.999);
        return new ObjectSizeRecall.Buckets(lo, hi);
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static Table rowsTable(List<RowResult> rows, String name) {
        Table t = Tables.results(name);
        for (RowResult r : rows) {
            for (int k = 0; k < r.scores().size(); k++) {
                Tables.Row row = Tables.row(t).method(r.method()).variant(r.variant())
                        .seeds(r.seed()).score(r.scores().get(k));
                for (ObjectSizeRecall.BucketSummary b : r.recall().get(k).values()) {
                    String s = b.size().name().toLowerCase(Locale.ROOT);
                    row.set("recall_" + s, b.meanRecall()).set("objects_" + s, b.objects());
                }
                row.set("steps", r.steps()).set("images_seen", r.imagesSeen())
                        .set("train_s", r.trainSeconds()).set("eval_s", r.evalSeconds());
                if (!Double.isNaN(r.targetBackground())) {
                    row.set("target_bg", r.targetBackground());
                }
                row.add();
            }
        }
        return t;
    }
}
