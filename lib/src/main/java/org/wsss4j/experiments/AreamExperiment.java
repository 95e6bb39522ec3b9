package org.wsss4j.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.wsss4j.cam.CamConfig;
import org.wsss4j.data.ImageTensors;
import org.wsss4j.data.RgbImage;
import org.wsss4j.data.VocDataset;
import org.wsss4j.methods.aream.AffinityLossHook;
import org.wsss4j.methods.aream.AreamConfig;
import org.wsss4j.methods.aream.AttentionStatsHook;
import org.wsss4j.methods.aream.BlockStats;
import org.wsss4j.methods.aream.EntropyWeights;
import org.wsss4j.methods.aream.Par;
import org.wsss4j.methods.aream.ProbeSet;
import org.wsss4j.methods.aream.RefinedCam;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.report.Charts;
import org.wsss4j.report.Provenance;
import org.wsss4j.report.ResultsWriter;
import org.wsss4j.report.Tables;
import org.wsss4j.runtime.Profile;
import org.wsss4j.train.BatchSource;
import org.wsss4j.train.LossHook;
import org.wsss4j.train.StepLog;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Notebook 01, AReAM (methods.md Part 1 and §1): every row continues the shared warm-up for the
 * same F steps over the same batches — baseline (no affinity loss); + affinity loss with uniform
 * layer weights (the main row); + entropy weights (computed from the seed's baseline branch, the
 * official repo ships none); a K sweep; a loss-weight sweep. Baseline and main row run every
 * seed of the profile, the others the first seed. Every row is scored with the baseline CAM and
 * with AReAM's own inference map (§1.3 f), both threshold protocols. A probe-set observer logs
 * per-block attention statistics during each run: the "affinity sparsification curves" come from
 * the very runs in the table. Writes results/aream/.
 */
public final class AreamExperiment implements MainRowScorer {
    public static final String NAME = "aream";

    /**
     * Which rows and how the statistics are sampled.
     *
     * @param kSweep K values (12-block indices) swept besides the paper's 7
     * @param weightSweep loss weights swept besides the paper's 0.1
     * @param probeImages val images in the statistics probe
     * @param logPoints statistics logged this many times per branch (plus its end point)
     */
    public record Plan(List<Integer> kSweep, List<Double> weightSweep, int probeImages,
            int logPoints) {
        /** The notebook's rows: K ∈ {5, 7, 9}, λ ∈ {0.03, 0.1, 0.3} (log grid), 32 probes. */
        public static final Plan DEFAULT = new Plan(List.of(5, 9), List.of(0.03, 0.3), 32, 10);

        public Plan {
            kSweep = List.copyOf(kSweep);
            weightSweep = List.copyOf(weightSweep);
            if (probeImages < 1 || logPoints < 1) {
                throw new IllegalArgumentException("plan needs >= 1 probe image and log point");
            }
        }
    }

    static final String CAM_BASELINE = "baseline CAM";
    static final String CAM_AREAM = "AReAM inference (§1.3 f)";
    static final String BASELINE = Tables.BASELINE;
    static final String AREAM = "AReAM";
    static final int EVAL_BATCH = BaselineExperiment.EVAL_BATCH;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "AReAM: affinity loss on the deep blocks (uniform/entropy weights, K and weight "
                + "sweeps) and the affinity sparsification curves";
    }

    /** What the notebook shows. */
    public record Result(
            Path dir,
            Table rows,
            Table summary,
            Table entropyWeights,
            Table statistics,
            XYChart entropyCurves,
            XYChart giniCurves,
            XYChart backgroundCurves) {}

    /** One training run of the table. */
    record Run(String method, String label, AreamConfig config, long seed) {
        boolean isBaseline() {
            return config == null;
        }
    }

    /**
     * What every run of a profile shares: the probe set and its logging schedule (part of the
     * branch cache key) and the main row's configuration.
     */
    record Setup(ProbeSet probe, String probeKey, long every, AreamConfig main, int depth,
            int size) {
        static Setup of(Protocol protocol, Plan plan, VocDataset val) throws IOException {
            Profile profile = protocol.profile();
            int depth = protocol.modelConfig().depth();
            int patch = protocol.modelConfig().patchSize();
            int size = Math.max(patch, Math.round((float) profile.imageSize() / patch) * patch);
            long every = Math.max(1, profile.branchSteps() / plan.logPoints());
            ProbeSet probe = AreamExperiment.probe(val, Math.min(plan.probeImages(), val.size()), size, patch);
            String probeKey = "probe" + probe.count() + "x" + size + "-every" + every;
            return new Setup(probe, probeKey, every,
                    AreamConfig.PAPER.withStartStep(profile.warmupSteps()), depth, size);
        }

        Run baseline(long seed) {
            return new Run(BASELINE, "baseline", null, seed);
        }

        Run mainRun(long seed) {
            return new Run(AREAM, "uniform", main, seed);
        }

        /** Trains (or loads) {@code run}; the caller closes the model. */
        Protocol.Trained train(Protocol protocol, Run run) throws IOException {
            return AreamExperiment.train(protocol, run, probe, probeKey, every);
        }
    }

    @Override
    public String rowsTable() {
        return "aream_rows";
    }

    /** The summary's rows: the baseline branch and the main row, both under the baseline CAM. */
    @Override
    public List<MainRow> mainRows(Profile profile, Path dir) throws IOException {
        int depth = new Protocol(profile).modelConfig().depth();
        AreamConfig main = AreamConfig.PAPER.withStartStep(profile.warmupSteps());
        return List.of(
                new MainRow(Role.OWN_BASELINE, "AReAM's baseline (continued without affinity loss)",
                        Kind.CAM, Map.of(Tables.METHOD, BASELINE, "cam",
                                CAM_BASELINE)),
                new MainRow(Role.MAIN, "AReAM: + affinity loss, uniform weights", Kind.CAM,
                        Map.of(Tables.METHOD, AREAM, Tables.VARIANT,
                                variant(new Run(AREAM, "uniform", main, 0), depth), "cam",
                                CAM_BASELINE)));
    }

    /** Baseline and main row of every seed on {@code split}, threshold chosen on val. */
    @Override
    public List<SplitScore> scoreMainRows(Profile profile, String split) throws IOException {
        BaselineExperiment.checkSplit(split);
        Protocol protocol = new Protocol(profile);
        VocDataset val = protocol.dataset("val");
        VocDataset ds = protocol.dataset(split);
        Setup setup = Setup.of(protocol, Plan.DEFAULT, val);
        List<MainRow> rows = mainRows(profile, null);
        List<SplitScore> out = new ArrayList<>();
        for (long seed : profile.seeds()) {
            List<Run> runs = List.of(setup.baseline(seed), setup.mainRun(seed));
            for (int i = 0; i < runs.size(); i++) {
                try (Protocol.Trained t = setup.train(protocol, runs.get(i))) {
                    CamEvaluation.Scores s = CamEvaluation.score(t.model(),
                            baselineCam(profile), val, ds, EVAL_BATCH);
                    out.add(new SplitScore(rows.get(i), seed, s.honest(), s.oracle()));
                }
            }
        }
        return out;
    }

    /** The baseline CAM at the profile's scales, as every AReAM row is scored. */
    static CamEvaluation.MapFn baselineCam(Profile profile) {
        return scoped(CamEvaluation.cam(CamConfig.BASELINE.withScales(profile.camScales())));
    }

    @Override
    public Path run(Profile profile) throws IOException {
        return execute(profile).dir();
    }

    /** Runs every row of the default plan, writes results/aream/, returns tables and figures. */
    public Result execute(Profile profile) throws IOException {
        return execute(profile, Plan.DEFAULT);
    }

    /** Runs every row of {@code plan}, writes results/aream/, returns tables and figures. */
    public Result execute(Profile profile, Plan plan) throws IOException {
        long t0 = System.nanoTime();
        Protocol protocol = new Protocol(profile);
        VocDataset val = protocol.dataset("val");
        VocDataset train = protocol.dataset("train");
        Setup setup = Setup.of(protocol, plan, val);
        int depth = setup.depth();
        int size = setup.size();
        long w = profile.warmupSteps();
        long every = setup.every();
        ProbeSet probe = setup.probe();
        String probeKey = setup.probeKey();
        AreamConfig main = setup.main();

        Table rows = Tables.results("AReAM rows");
        Table stats = null;
        Map<String, List<BlockStats>> curves = new LinkedHashMap<>();
        double[] entropyBits = null;
        List<Double> entropy = null;
        for (long seed : profile.seeds()) {
            List<Run> runs = new ArrayList<>();
            runs.add(setup.baseline(seed));
            runs.add(setup.mainRun(seed));
            boolean first = seed == profile.seeds().get(0);
            for (Run r : runs) {
                stats = append(stats, evaluate(protocol, r, probe, probeKey, every, val, train,
                        rows, depth, curves, first));
            }
            if (!first) {
                continue;
            }
            // Entropy weights from this seed's baseline branch (a baseline checkpoint, §1.3 d).
            try (Protocol.Trained base = setup.train(protocol, runs.get(0))) {
                VocDataset trainAug = protocol.dataset("train_aug");
                entropyBits = EntropyWeights.measure(base.model(),
                        images(trainAug, size, EVAL_BATCH),
                        (trainAug.size() + EVAL_BATCH - 1) / EVAL_BATCH);
            }
            List<Run> more = new ArrayList<>();
            if (EntropyWeights.defined(entropyBits)) {
                entropy = EntropyWeights.normalize(entropyBits);
                more.add(new Run(AREAM, "entropy", main.withEntropyWeights(entropy), seed));
            } else {
                // Every block equally flat (e.g. a barely trained smoke model): the weights are
                // undefined, so the row is left out and the entropy table says why.
                entropy = null;
            }
            for (int k : plan.kSweep()) {
                more.add(new Run(AREAM, "K=" + k, main.withLayerIndex(k), seed));
            }
            for (double lw : plan.weightSweep()) {
                more.add(new Run(AREAM, "w=" + lw, main.withLossWeight(lw), seed));
            }
            for (Run r : more) {
                stats = append(stats, evaluate(protocol, r, probe, probeKey, every, val, train,
                        rows, depth, curves, false));
            }
        }

        Table summary = summary(rows);
        Table ent = entropyTable(entropyBits, entropy, main, depth);
        List<BlockStats> base = curves.get("baseline");
        List<BlockStats> are = curves.get("uniform");
        XYChart entropyChart = curveChart("Patch-to-patch attention entropy (probe set)",
                "mean row entropy (nats)", base, are, BlockStats::entropy, depth);
        XYChart giniChart = curveChart("Attention sparsity (Gini of patch rows, probe set)",
                "Gini coefficient", base, are, BlockStats::gini, depth);
        XYChart bgChart = curveChart(
                "Class-to-patch attention on ground-truth background (probe set)",
                "share of label classes' attention", base, are,
                BlockStats::classAttentionOnBackground, depth);

        ResultsWriter out = ResultsWriter.forExperiment(NAME);
        Provenance prov = provenance(profile, plan, protocol, main, entropy, probe, every, depth,
                size, t0);
        out.write(rows, "aream_rows", prov);
        out.write(summary, "aream_summary", prov);
        out.write(ent, "entropy_weights", prov);
        out.write(stats, "attention_statistics", prov);
        out.writeFigure(entropyChart, "affinity_entropy_curves");
        out.writeFigure(giniChart, "affinity_sparsity_curves");
        out.writeFigure(bgChart, "class_attention_on_background");
        return new Result(out.dir(), rows, summary, ent, stats, entropyChart, giniChart, bgChart);
    }

    /** Trains (or loads) one run, scores it both ways, returns its statistics table. */
    private Table evaluate(Protocol protocol, Run run, ProbeSet probe, String probeKey,
            long every, VocDataset val, VocDataset train, Table rows, int depth,
            Map<String, List<BlockStats>> curves, boolean keepCurves) throws IOException {
        Profile profile = protocol.profile();
        long w = profile.warmupSteps();
        long end = w + profile.branchSteps();
        try (Protocol.Trained t = train(protocol, run, probe, probeKey, every)) {
            VisionTransformer model = t.model();
            List<BlockStats> series = new ArrayList<>(AttentionStatsHook.fromHistory(
                    t.history().stream().filter(s -> s.step() >= w).toList()));
            // The end point: the weights after the last step, which no step's hook saw.
            series.addAll(new AttentionStatsHook(probe, end, 1).measure(model, end));
            if (keepCurves) {
                curves.put(run.label(), series);
            }
            double trainSeconds = t.history().stream().filter(s -> s.step() >= w)
                    .mapToDouble(StepLog::millis).sum() / 1000;
            double mapCls;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                mapCls = CamEvaluation.classificationMap(model, val, EVAL_BATCH)[0];
            }
            List<Double> scales = profile.camScales();
            Map<String, CamEvaluation.MapFn> fns = new LinkedHashMap<>();
            fns.put(CAM_BASELINE, baselineCam(profile));
            fns.put(CAM_AREAM, (mdl, x) -> RefinedCam.inference(mdl, x, scales, true));
            for (Map.Entry<String, CamEvaluation.MapFn> f : fns.entrySet()) {
                CamEvaluation.Scores s = CamEvaluation.score(model, f.getValue(), val, train,
                        EVAL_BATCH);
                for (var score : List.of(s.honest(), s.oracle())) {
                    Tables.Row row = Tables.row(rows).method(run.method())
                            .variant(variant(run, depth)).set("cam", f.getKey())
                            .seeds(run.seed()).score(score).set("mAP_cls", mapCls);
                    AreamConfig c = run.config();
                    row.set("K", c == null ? "" : String.valueOf(c.layerIndex()))
                            .set("deepBlocks", c == null ? "" : range(c.deepBlocks(depth)))
                            .set("lossWeight", c == null ? 0.0 : c.lossWeight())
                            .set("weighting", c == null ? "" : c.weighting().name()
                                    .toLowerCase(Locale.ROOT))
                            .set("steps", (long) profile.branchSteps())
                            .set("imagesSeen", end * profile.batch())
                            .set("trainSeconds", trainSeconds)
                            .add();
                }
            }
            return BlockStats.table(run.label() + " seed " + run.seed(), series);
        }
    }

    /** Trains (or loads) one run of the table; the caller closes the model. */
    static Protocol.Trained train(Protocol protocol, Run run, ProbeSet probe, String probeKey,
            long every) throws IOException {
        return protocol.branch(run.seed(), rowKey(run, probeKey),
                hooks(protocol, run, probe, protocol.profile().warmupSteps(), every));
    }

    /**
     * A map function whose intermediates are freed per batch: the forward attaches them to the
     * model's manager, which would otherwise hold them until the model is closed.
     */
    static CamEvaluation.MapFn scoped(CamEvaluation.MapFn fn) {
        return (model, x) -> {
            NDArray out;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                out = fn.maps(model, x);
                NDScope.unregister(out);
            }
            out.attach(x.getManager());
            return out;
        };
    }

    /** The hooks of a run: the protocol's entropy log, the probe statistics, AReAM's loss. */
    static List<LossHook> hooks(Protocol protocol, Run run, ProbeSet probe, long from,
            long every) {
        List<LossHook> hooks = new ArrayList<>();
        hooks.add(protocol.attentionLog());
        hooks.add(new AttentionStatsHook(probe, from, every));
        if (!run.isBaseline()) {
            hooks.add(new AffinityLossHook(run.config()));
        }
        return hooks;
    }

    /** The branch cache key: changes with every switch that changes the run or its log. */
    static String rowKey(Run run, String probeKey) {
        if (run.isBaseline()) {
            return "aream-baseline-" + probeKey;
        }
        AreamConfig c = run.config();
        String ent = c.entropy().isEmpty() ? ""
                : "-e" + Protocol.sha(c.entropy().toString());
        return String.format(Locale.ROOT, "aream-%s-K%d-w%s-s%s_%s-it%d%s-%s",
                c.weighting().name().toLowerCase(Locale.ROOT), c.layerIndex(), c.lossWeight(),
                c.scoreLow(), c.scoreHigh(), c.parIterations(), ent, probeKey);
    }

    static String variant(Run run, int depth) {
        if (run.isBaseline()) {
            return "continued without affinity loss";
        }
        AreamConfig c = run.config();
        return String.format(Locale.ROOT, "affinity loss, %s weights, K=%d (deep blocks %s), λ=%s",
                c.weighting().name().toLowerCase(Locale.ROOT), c.layerIndex(),
                range(c.deepBlocks(depth)), c.lossWeight());
    }

    static String range(int[] blocks) {
        return blocks.length == 1 ? String.valueOf(blocks[0])
                : blocks[0] + "-" + blocks[blocks.length - 1];
    }

    /** The probe: the first {@code n} val images at the training size, tokens by majority. */
    static ProbeSet probe(VocDataset val, int n, int size, int patch) throws IOException {
        int g = size / patch;
        float[] images = new float[n * 3 * size * size];
        float[][] labels = new float[n][];
        int[][] tokens = new int[n][];
        for (int i = 0; i < n; i++) {
            RgbImage img = val.readImage(i);
            System.arraycopy(ImageTensors.toChw(img, size, size, false), 0, images,
                    i * 3 * size * size, 3 * size * size);
            labels[i] = val.multiHot(i);
            tokens[i] = TokenGrid.majority(val.readMask(i), g, g);
        }
        return new ProbeSet(images, n, size, size, labels, tokens, g, g);
    }

    /** Un-augmented batches of a split at the training size (for the entropy weights). */
    static BatchSource images(VocDataset ds, int size, int batch) {
        int c = ds.classes().numClasses();
        return (step, m) -> {
            int start = (int) step * batch;
            int end = Math.min(ds.size(), start + batch);
            float[] x = new float[(end - start) * 3 * size * size];
            float[] y = new float[(end - start) * c];
            try {
                for (int i = start; i < end; i++) {
                    System.arraycopy(ImageTensors.toChw(ds.readImage(i), size, size, false), 0,
                            x, (i - start) * 3 * size * size, 3 * size * size);
                    System.arraycopy(ds.multiHot(i), 0, y, (i - start) * c, c);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new BatchSource.Batch(m.create(x, new Shape(end - start, 3, size, size)),
                    m.create(y, new Shape(end - start, c)));
        };
    }

    private static Table append(Table all, Table more) {
        return all == null ? more : all.append(more);
    }

    /**
     * Mean ± std over seeds per row and CAM, with the difference to the baseline of the same CAM
     * and threshold protocol, labelled within/beyond noise (2 baseline std).
     */
    static Table summary(Table rows) {
        List<String> by = List.of(Tables.METHOD, Tables.VARIANT, "cam", Tables.SPLIT,
                Tables.THRESHOLD_SPLIT);
        Table agg = Tables.meanStd(rows, by, List.of(Tables.MIOU, Tables.MIOU_MCT,
                Tables.PRECISION, Tables.RECALL, "mAP_cls"));
        Table out = null;
        // In order of first appearance, so the same rows give the same CSV.
        List<String> groups = agg.stringColumn("cam").asList().stream().distinct().toList();
        List<String> thresholds = agg.stringColumn(Tables.THRESHOLD_SPLIT).asList().stream()
                .distinct().toList();
        for (String cam : groups) {
            for (String th : thresholds) {
                Table sub = agg.where(agg.stringColumn("cam").isEqualTo(cam)
                        .and(agg.stringColumn(Tables.THRESHOLD_SPLIT).isEqualTo(th)));
                if (sub.rowCount() == 0) {
                    continue;
                }
                Table noted = Tables.withNoise(sub, Tables.MIOU, BASELINE);
                out = out == null ? noted : out.append(noted);
            }
        }
        out.setName("AReAM summary");
        return out;
    }

    static Table entropyTable(double[] bits, List<Double> e, AreamConfig main, int depth) {
        int[] shallow = main.shallowBlocks(depth);
        Table t = Table.create("entropy weights");
        IntColumn block = IntColumn.create("block");
        StringColumn role = StringColumn.create("role at K=" + main.layerIndex());
        DoubleColumn h = DoubleColumn.create("H_bits");
        DoubleColumn norm = DoubleColumn.create("e");
        DoubleColumn weight = DoubleColumn.create("weight");
        for (int l = 0; l < depth; l++) {
            final int ll = l;
            boolean isShallow = IntStream.of(shallow).anyMatch(b -> b == ll);
            block.append(l);
            role.append(isShallow ? "shallow (refinement, 1 - e)" : "deep (loss, e)");
            h.append(bits[l]);
            // Undefined weights (every block equally flat) show as missing values.
            norm.append(e == null ? Double.NaN : e.get(l));
            weight.append(e == null ? Double.NaN : isShallow ? 1 - e.get(l) : e.get(l));
        }
        return t.addColumns(block, role, h, norm, weight);
    }

    /** Per block: AReAM solid, baseline dashed, the same colour per block. */
    static XYChart curveChart(String title, String yTitle, List<BlockStats> baseline,
            List<BlockStats> aream, java.util.function.ToDoubleFunction<BlockStats> metric,
            int depth) {
        List<Charts.Series> series = new ArrayList<>();
        for (int b = 0; b < depth; b++) {
            for (String name : List.of("baseline", AREAM)) {
                List<BlockStats> src = name.equals("baseline") ? baseline : aream;
                final int bb = b;
                List<BlockStats> s = src.stream().filter(x -> x.block() == bb)
                        .filter(x -> Double.isFinite(metric.applyAsDouble(x))).toList();
                if (s.isEmpty()) {
                    continue;
                }
                series.add(new Charts.Series(name + " b" + b,
                        s.stream().mapToDouble(BlockStats::step).toArray(),
                        s.stream().mapToDouble(metric).toArray()));
            }
        }
        XYChart c = Charts.lines(title, "step", yTitle, series);
        java.awt.Color[] colors = c.getStyler().getSeriesColors();
        for (Map.Entry<String, XYSeries> e : c.getSeriesMap().entrySet()) {
            int b = Integer.parseInt(e.getKey().substring(e.getKey().lastIndexOf('b') + 1));
            e.getValue().setLineColor(colors[b % colors.length]);
            if (e.getKey().startsWith("baseline")) {
                e.getValue().setLineStyle(SeriesLines.DASH_DASH);
            }
        }
        return c;
    }

    private static Provenance provenance(Profile profile, Plan plan, Protocol protocol,
            AreamConfig main,
            List<Double> entropy, ProbeSet probe, long every, int depth, int size, long t0)
            throws IOException {
        Map<String, Object> k = new LinkedHashMap<>();
        for (int kk : concat(main.layerIndex(), plan.kSweep())) {
            k.put("K=" + kk, Map.of("shallow", main.withLayerIndex(kk).shallowBlocks(depth),
                    "deep", main.withLayerIndex(kk).deepBlocks(depth)));
        }
        return RunProvenance.of(profile, t0)
                .config("model", protocol.modelConfig())
                .config("train", protocol.trainConfig(profile.seeds().get(0)))
                .config("warmupSteps", profile.warmupSteps())
                .config("branchSteps", profile.branchSteps())
                .config("aream", main)
                .config("plan", plan)
                .config("resolvedBlocks", k)
                .config("parDilations", Arrays.toString(Par.scaledDilations(size / 2))
                        + " for the " + size / 2 + "-px half-resolution map")
                .config("entropyWeights", entropy == null
                        ? "undefined: every block had the same entropy; the entropy row is left out"
                        : entropy)
                .config("entropyWeightsFrom", "the first seed's baseline branch, train_aug "
                        + "un-augmented at " + size + " px")
                .config("probe", probe.count() + " val images at " + size + " px, logged every "
                        + every + " steps of the branch and at its end")
                .config("seedsPerRow", "baseline and uniform rows: " + profile.seeds()
                        + "; entropy, K and weight sweeps: " + profile.seeds().get(0))
                .config("cam", CamConfig.BASELINE.withScales(profile.camScales()))
                .config("note", "AReAM applied to the kit's shared MCTformer-V2 base ("
                        + protocol.modelConfig().preset() + "), not the paper's DeiT-S; its "
                        + "loss is on from the end of the shared warm-up (step "
                        + profile.warmupSteps() + ")")
                .build();
    }

    private static List<Integer> concat(int first, List<Integer> rest) {
        List<Integer> l = new ArrayList<>();
        l.add(first);
        l.addAll(rest);
        return l.stream().distinct().collect(Collectors.toList());
    }
}
