package org.wsss4j.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.wsss4j.cam.CamConfig;
import org.wsss4j.cam.CamKind;
import org.wsss4j.cam.CamOps;
import org.wsss4j.data.IndexedPng;
import org.wsss4j.data.RgbImage;
import org.wsss4j.data.VocDataset;
import org.wsss4j.eval.ClassMaps;
import org.wsss4j.eval.ThresholdSweep;
import org.wsss4j.methods.acr.AcrConfig;
import org.wsss4j.methods.acr.AcrHook;
import org.wsss4j.methods.acr.ConsistencyTerms;
import org.wsss4j.methods.acr.GradientLocalisation;
import org.wsss4j.methods.acr.LocalisationConfig;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.LayerPositions;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.model.VitOutput;
import org.wsss4j.report.Charts;
import org.wsss4j.report.Overlays;
import org.wsss4j.report.Provenance;
import org.wsss4j.report.ResultsWriter;
import org.wsss4j.report.Tables;
import org.wsss4j.runtime.CodeVersion;
import org.wsss4j.runtime.Profile;
import org.wsss4j.train.StepLog;
import tech.tablesaw.api.Table;

/**
 * Notebook 02, ACR — all-pairs consistency (methods.md Part 1 table, §2). Every training row
 * continues the shared warm-up of its seed for F steps over the same batches with an {@link
 * AcrHook}; all rows, the baseline included, see the same two-view batches (image + flip, both
 * classification losses), and only the consistency terms differ:
 *
 * <ul>
 *   <li>two views, terms off (the baseline; 3 seeds);
 *   <li>+ class-to-patch L1 ("activation intensity");
 *   <li>+ patch-to-patch L1 ("all-pairs affinity");
 *   <li>both (the main row; 3 seeds);
 *   <li>the α sweep: both terms, α × {@link #ALPHA_FACTORS} (decades around the default α
 *       = 125·N/577; the ×1 point is the main row's training, read from the cache);
 *   <li>localisation on the baseline and main models (all their seeds): the baseline CAM, class
 *       attention of the blocks from layer 10, class-token gradients, gradients × affinity.
 * </ul>
 *
 * Every row is scored with both threshold protocols; rows other than the baseline and the main
 * row run the first seed only, and say so. Writes results/acr/.
 */
public final class AcrExperiment implements MainRowScorer {
    public static final String NAME = "acr";
    static final int EVAL_BATCH = 32;

    /** The method label of every row. */
    public static final String METHOD = "ACR";

    /** Extra columns of the rows table. */
    public static final String MAP = "map";
    public static final String ALPHA = "alpha_paper";
    public static final String ALPHA_RESOLVED = "alpha_resolved";
    public static final String MAP_CLS = "mAP_cls";
    /**
     * Flip inconsistency on val (what ACR lowers): the unweighted L1 × N, i.e. the mean absolute
     * disagreement in units of a uniform attention weight 1/N.
     */
    public static final String L1_C2P = "flipL1_c2p_xN";
    public static final String L1_P2P = "flipL1_p2p_xN";

    /**
     * Multipliers of the default α in the sweep: a decade log grid around it (each point is a
     * two-view training row, ≈ 3 min on 2 cores at the quick profile, so the half-decade grid
     * {@link #ALPHA_FACTORS_FINE} is left to larger machines).
     */
    public static final List<Double> ALPHA_FACTORS = List.of(0.1, 1.0, 10.0);

    /** The half-decade grid, for machines with time to spare. */
    public static final List<Double> ALPHA_FACTORS_FINE =
            List.of(0.1, Math.sqrt(0.1), 1.0, Math.sqrt(10), 10.0);

    /** How a row's maps are made (the localisation comparison of §2.4). */
    public enum Localisation {
        /** The table's standard map: ReLU(PatchCAM) ⊙ class attention, last 3 of 12 blocks. */
        BASELINE_CAM("baseline CAM"),
        /** Class-to-patch attention of the blocks the gradients use (from layer 10 of 12). */
        CLASS_ATTENTION("class attention (layers >= 10)"),
        /** ACR's class-token gradients (option grad). */
        GRADIENT("class-token gradients"),
        /** ACR's gradients × summed patch-to-patch attention (--aff True). */
        GRADIENT_AFFINITY("gradients x affinity");

        private final String label;

        Localisation(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One training row.
     *
     * @param variant the label in the table
     * @param config the hook's switches
     * @param allSeeds run every seed of the profile (baseline and main row) or the first only
     * @param localise also score the localisation variants on this row's models
     */
    public record Row(String variant, AcrConfig config, boolean allSeeds, boolean localise) {}

    /** What one trained model measured under one map. */
    public record Evaluated(
            Row row,
            long seed,
            Localisation map,
            CamEvaluation.Scores scores,
            double mapClassToken,
            double[] flipL1,
            List<ClassMaps> trainMaps) {}

    /** What {@link #execute} returns to a notebook. */
    public record Output(
            Path dir,
            Table rows,
            Table summary,
            Table summaryOracle,
            CategoryChart gains,
            XYChart consistency,
            BufferedImage overlays) {}

    private final List<Double> alphaFactors;

    /** The experiment of notebook 02, α swept over {@link #ALPHA_FACTORS}. */
    public AcrExperiment() {
        this(ALPHA_FACTORS);
    }

    /**
     * With another α grid (multipliers of the default; include 1.0 to show the main row in the
     * sweep). Every ACR branch costs about two baseline branches (two views), so a shorter grid
     * is the cheapest way to shorten a run; results/ records the grid used.
     */
    public AcrExperiment(List<Double> alphaFactors) {
        if (alphaFactors.isEmpty() || alphaFactors.stream().anyMatch(f -> !(f > 0))) {
            throw new IllegalArgumentException("alpha factors must be > 0, got " + alphaFactors);
        }
        this.alphaFactors = List.copyOf(alphaFactors);
    }

    public static final String BASELINE_VARIANT = "two views, terms off (baseline)";
    public static final String MAIN_VARIANT = "both terms (main)";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "ACR: class-to-patch and patch-to-patch consistency between an image and its flip,"
                + " alpha sweep, localisation by attention vs class-token gradients";
    }

    /** The training rows in table order, α swept over {@link #ALPHA_FACTORS}. */
    public static List<Row> rows() {
        return rows(ALPHA_FACTORS);
    }

    /** The training rows in table order. */
    public static List<Row> rows(List<Double> alphaFactors) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(BASELINE_VARIANT, AcrConfig.twoViewBaseline(), true, true));
        rows.add(new Row("+ class-to-patch L1 (intensity)",
                AcrConfig.PAPER.withTerms(true, false), false, false));
        rows.add(new Row("+ patch-to-patch L1 (affinity)",
                AcrConfig.PAPER.withTerms(false, true), false, false));
        rows.add(new Row(MAIN_VARIANT, AcrConfig.PAPER, true, true));
        for (double f : alphaFactors) {
            rows.add(new Row(String.format(Locale.ROOT, "alpha sweep: x%.3g", f),
                    AcrConfig.PAPER.withAlpha(AcrConfig.PAPER_ALPHA * f), false, false));
        }
        return rows;
    }

    @Override
    public Path run(Profile profile) throws IOException {
        return execute(profile).dir();
    }

    /** Runs every row, writes results/acr/ and returns the tables and figures. */
    public Output execute(Profile profile) throws IOException {
        long t0 = System.nanoTime();
        Protocol protocol = new Protocol(profile);
        VocDataset val = protocol.dataset("val");
        VocDataset train = protocol.dataset("train");
        VitConfig mc = protocol.modelConfig();
        int tokens = mc.numClassTokens() + mc.gridSize() * mc.gridSize();
        List<Evaluated> results = new ArrayList<>();
        Map<String, List<Evaluated>> memo = new LinkedHashMap<>();
        Map<String, List<StepLog>> histories = new LinkedHashMap<>();
        for (Row row : rows(alphaFactors)) {
            List<Long> seeds = row.allSeeds() ? profile.seeds() : List.of(profile.seeds().get(0));
            for (long seed : seeds) {
                // Rows with the same switches (the α sweep's ×1 is the main row) train once.
                String key = rowKey(row.config(), protocol, seed) + "@" + seed;
                List<Evaluated> ev = memo.get(key);
                if (ev == null) {
                    ev = trainAndScore(protocol, row, seed, val, train, histories);
                    memo.put(key, ev);
                }
                for (Evaluated e : ev) {
                    if (!row.localise() && e.map() != Localisation.BASELINE_CAM) {
                        continue; // a row sharing a trained model shows only its own maps
                    }
                    results.add(new Evaluated(row, e.seed(), e.map(), e.scores(),
                            e.mapClassToken(), e.flipL1(), e.trainMaps()));
                }
            }
        }

        ResultsWriter out = ResultsWriter.forExperiment(NAME);
        Provenance prov = provenance(profile, protocol, mc, tokens, t0, alphaFactors);
        Table rowsTable = rowsTable(results, tokens);
        out.write(rowsTable, "cam_rows", prov);
        Table summary = summary(rowsTable, false);
        out.write(summary, "cam_summary", prov);
        Table summaryOracle = summary(rowsTable, true);
        out.write(summaryOracle, "cam_summary_oracle", prov);
        CategoryChart gains = gainsChart(summary);
        out.writeFigure(gains, "gains");
        XYChart consistency = consistencyChart(histories, tokens);
        out.writeFigure(consistency, "consistency_over_training");
        BufferedImage overlays = overlays(results, train, profile.seeds().get(0));
        out.writeFigure(overlays, "cam_overlays");
        return new Output(out.dir(), rowsTable, summary, summaryOracle, gains, consistency,
                overlays);
    }

    /** Cache key of a branch: the hook's switches and the code of the ACR package. */
    static String rowKey(AcrConfig config, Protocol protocol, long seed) {
        double dp = protocol.trainConfig(seed).dropPath();
        String code = CodeVersion.of(AcrHook.class, "org.wsss4j.methods.acr");
        return "acr-" + Protocol.sha(config + "|dropPath=" + dp + "|code=" + code);
    }

    @Override
    public String rowsTable() {
        return "cam_rows";
    }

    /** The summary's rows: the two-view baseline and both terms, under the baseline CAM. */
    @Override
    public List<MainRow> mainRows(Profile profile, Path dir) {
        String cam = Localisation.BASELINE_CAM.label();
        return List.of(
                new MainRow(Role.OWN_BASELINE, "ACR's baseline (two views, terms off)", Kind.CAM,
                        Map.of(Tables.VARIANT, BASELINE_VARIANT, MAP, cam)),
                new MainRow(Role.MAIN, "ACR: both terms, default alpha", Kind.CAM,
                        Map.of(Tables.VARIANT, MAIN_VARIANT, MAP, cam)));
    }

    /** The two-view baseline and the main row of every seed on {@code split}, threshold on val. */
    @Override
    public List<SplitScore> scoreMainRows(Profile profile, String split) throws IOException {
        BaselineExperiment.checkSplit(split);
        Protocol protocol = new Protocol(profile);
        VocDataset val = protocol.dataset("val");
        VocDataset ds = protocol.dataset(split);
        List<MainRow> names = mainRows(profile, null);
        List<Row> rows = rows(alphaFactors).stream().filter(r -> r.variant().equals(
                BASELINE_VARIANT) || r.variant().equals(MAIN_VARIANT)).toList();
        List<Localisation> cam = List.of(Localisation.BASELINE_CAM);
        List<SplitScore> out = new ArrayList<>();
        for (long seed : profile.seeds()) {
            for (int i = 0; i < rows.size(); i++) {
                try (Protocol.Trained t = train(protocol, rows.get(i).config(), seed)) {
                    CamEvaluation.Scores s = score(
                            maps(t.model(), val, cam, profile).get(Localisation.BASELINE_CAM),
                            val, maps(t.model(), ds, cam, profile)
                                    .get(Localisation.BASELINE_CAM), ds);
                    out.add(new SplitScore(names.get(i), seed, s.honest(), s.oracle()));
                }
            }
        }
        return out;
    }

    /** Trains (or loads) the branch of {@code config}; the caller closes the model. */
    static Protocol.Trained train(Protocol protocol, AcrConfig config, long seed)
            throws IOException {
        AcrHook hook = new AcrHook(config, protocol.trainConfig(seed).dropPath());
        return protocol.branch(seed, rowKey(config, protocol, seed),
                List.of(protocol.attentionLog(), hook));
    }

    /** Threshold chosen on val's maps, applied to {@code ds}'s; the oracle on {@code ds}. */
    static CamEvaluation.Scores score(List<ClassMaps> valMaps, VocDataset val,
            List<ClassMaps> maps, VocDataset ds) throws IOException {
        ThresholdSweep vs = CamEvaluation.sweep(valMaps, val);
        ThresholdSweep ts = CamEvaluation.sweep(maps, ds);
        return new CamEvaluation.Scores(ThresholdSweep.chooseOn(vs, ts), ts.oracle(), vs, ts);
    }

    private List<Evaluated> trainAndScore(Protocol protocol, Row row, long seed,
            VocDataset val, VocDataset train, Map<String, List<StepLog>> histories)
            throws IOException {
        Profile profile = protocol.profile();
        List<Evaluated> out = new ArrayList<>();
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        try (Protocol.Trained t = train(protocol, row.config(), seed)) {
            long t1 = System.nanoTime();
            long c1 = cpuNanos();
            VisionTransformer model = t.model();
            if (seed == profile.seeds().get(0)) {
                histories.put(row.variant(), t.history());
            }
            double mapCls = CamEvaluation.classificationMap(model, val, EVAL_BATCH)[0];
            double[] l1 = flipConsistency(model, val);
            // The localisation comparison runs on the first seed, like every non-main row.
            List<Localisation> maps = row.localise() && seed == profile.seeds().get(0)
                    ? List.of(Localisation.values())
                    : List.of(Localisation.BASELINE_CAM);
            Map<Localisation, List<ClassMaps>> tm = maps(model, train, maps, profile);
            Map<Localisation, List<ClassMaps>> vm = maps(model, val, maps, profile);
            boolean keep = seed == profile.seeds().get(0);
            for (Localisation kind : maps) {
                CamEvaluation.Scores s = score(vm.get(kind), val, tm.get(kind), train);
                out.add(new Evaluated(row, seed, kind, s, mapCls, l1,
                        keep ? tm.get(kind) : null));
            }
            System.out.printf(Locale.ROOT, "ACR %-34s seed %d: trained/loaded in %.1f s"
                    + " (cpu %.1f s), scored in %.1f s (cpu %.1f s)%n", row.variant(), seed,
                    (t1 - t0) / 1e9, (c1 - c0) / 1e9, (System.nanoTime() - t1) / 1e9,
                    (cpuNanos() - c1) / 1e9);
        }
        return out;
    }

    /** CPU time of the whole process (every thread, native ones included). */
    private static long cpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun.getProcessCpuTime() : 0L;
    }

    /** Class maps of every image of {@code ds} under each of {@code kinds}. */
    static Map<Localisation, List<ClassMaps>> maps(VisionTransformer model, VocDataset ds,
            List<Localisation> kinds, Profile profile) throws IOException {
        List<Double> scales = profile.camScales();
        int start = 12 - LocalisationConfig.PAPER.startLayer(); // "layers >= 10" = the last 2
        Map<Localisation, List<ClassMaps>> out = new LinkedHashMap<>();
        if (kinds.contains(Localisation.BASELINE_CAM)) {
            out.put(Localisation.BASELINE_CAM, CamEvaluation.maps(model, ds,
                    CamEvaluation.cam(CamConfig.BASELINE.withScales(scales)), EVAL_BATCH));
        }
        if (kinds.contains(Localisation.CLASS_ATTENTION)) {
            out.put(Localisation.CLASS_ATTENTION, CamEvaluation.maps(model, ds, CamEvaluation.cam(
                    new CamConfig(CamKind.CLASS_ATTENTION, start, scales, true)), EVAL_BATCH));
        }
        boolean plain = kinds.contains(Localisation.GRADIENT);
        boolean aff = kinds.contains(Localisation.GRADIENT_AFFINITY);
        if (plain || aff) {
            // One backward per image batch serves both gradient variants.
            boolean[] variants = plain && aff ? new boolean[] {false, true}
                    : new boolean[] {aff};
            List<List<ClassMaps>> g = gradientMaps(model, ds,
                    LocalisationConfig.PAPER.withScales(scales), variants);
            for (int v = 0; v < variants.length; v++) {
                out.put(variants[v] ? Localisation.GRADIENT_AFFINITY : Localisation.GRADIENT,
                        g.get(v));
            }
        }
        return out;
    }

    /**
     * ACR's gradient maps of every image of {@code ds} for its label classes, one list per
     * affinity variant (the gradients need the labels, which {@link CamEvaluation.MapFn} does not
     * carry).
     */
    static List<List<ClassMaps>> gradientMaps(VisionTransformer model, VocDataset ds,
            LocalisationConfig cfg, boolean... affinity) throws IOException {
        List<List<ClassMaps>> out = new ArrayList<>();
        for (int v = 0; v < affinity.length; v++) {
            out.add(new ArrayList<>(ds.size()));
        }
        int c = model.config().numClasses();
        EqualSizeBatches.forEach(model, ds, EVAL_BATCH, (x, first, originals) -> {
            int n = originals.size();
            float[] hot = new float[n * c];
            for (int k = 0; k < n; k++) {
                System.arraycopy(ds.multiHot(first + k), 0, hot, k * c, c);
            }
            NDArray labels = x.getManager().create(hot, new Shape(n, c));
            int w = originals.get(0).width();
            int h = originals.get(0).height();
            NDArray[] maps = GradientLocalisation.inferVariants(model, x, labels, cfg, affinity);
            for (int v = 0; v < maps.length; v++) {
                out.get(v).addAll(
                        CamEvaluation.toClassMaps(CamOps.resize(maps[v], h, w), ds, first));
            }
        });
        return out;
    }

    /**
     * What ACR optimises, measured on held-out images: the unweighted class-to-patch and
     * patch-to-patch L1 between an image's attention and its flip's (un-flipped), all blocks,
     * averaged over images. {c2p, p2p}.
     */
    static double[] flipConsistency(VisionTransformer model, VocDataset ds) throws IOException {
        int[] blocks = AcrConfig.PAPER.blocksFor(model.config().depth());
        double[] sum = new double[2];
        int[] n = new int[1];
        EqualSizeBatches.forEach(model, ds, EVAL_BATCH, (x, first, originals) -> {
            int len = originals.size();
            VitOutput a = model.forward(x, ForwardRequest.ATTENTION);
            VitOutput b = model.forward(CamOps.flipW(x), ForwardRequest.ATTENTION);
            int t = a.numClassTokens();
            sum[0] += len * ConsistencyTerms.classToPatch(a.attention(), b.attention(),
                    blocks, t, a.gridH(), a.gridW(), true).getFloat();
            sum[1] += len * ConsistencyTerms.patchToPatch(a.attention(), b.attention(),
                    blocks, t, a.gridH(), a.gridW(), true).getFloat();
            n[0] += len;
        });
        return new double[] {sum[0] / n[0], sum[1] / n[0]};
    }

    static Table rowsTable(List<Evaluated> results, int tokens) {
        Table t = Tables.results("ACR rows");
        for (Evaluated e : results) {
            AcrConfig c = e.row().config();
            for (var score : List.of(e.scores().honest(), e.scores().oracle())) {
                Tables.row(t).method(METHOD).variant(e.row().variant()).set(MAP, e.map().label())
                        .seeds(e.seed()).score(score)
                        .set(ALPHA, c.anyTerm() ? c.alpha() : 0.0)
                        .set(ALPHA_RESOLVED, c.anyTerm() ? c.resolvedAlpha(tokens) : 0.0)
                        .set(MAP_CLS, e.mapClassToken())
                        .set(L1_C2P, e.flipL1()[0] * tokens)
                        .set(L1_P2P, e.flipL1()[1] * tokens)
                        .add();
            }
        }
        return t;
    }

    /**
     * Mean ± std over seeds of one threshold protocol, with the gain over the baseline (first
     * row: two views, terms off, baseline CAM) and its noise label (2 × the baseline's std).
     */
    static Table summary(Table rows, boolean oracle) {
        var isOracle = rows.stringColumn(Tables.THRESHOLD_SPLIT).startsWith("oracle");
        Table sel = oracle ? rows.where(isOracle) : rows.dropWhere(isOracle);
        Table agg = Tables.meanStd(sel,
                List.of(Tables.METHOD, Tables.VARIANT, MAP, Tables.SPLIT, Tables.THRESHOLD_SPLIT),
                List.of(Tables.MIOU, Tables.MIOU_MCT, Tables.PRECISION, Tables.RECALL, MAP_CLS,
                        L1_C2P, L1_P2P));
        agg.setName(oracle ? "ACR summary (oracle threshold)" : "ACR summary (val threshold)");
        return Tables.withNoise(agg, Tables.MIOU, 0);
    }

    /** The columns a reader needs first, from a {@link #summary} table (for notebooks). */
    public static Table compact(Table summary) {
        return summary.selectColumns(Tables.VARIANT, MAP, Tables.N, Tables.MIOU + "_mean",
                Tables.MIOU + "_std", Tables.PRECISION + "_mean", Tables.RECALL + "_mean",
                L1_C2P + "_mean", L1_P2P + "_mean", Tables.MIOU + "_delta",
                Tables.MIOU + "_noise");
    }

    /** mIoU gain of every row over the baseline, ± its std, with the ±2σ noise floor. */
    static CategoryChart gainsChart(Table summary) {
        List<String> labels = new ArrayList<>();
        List<Double> mean = new ArrayList<>();
        List<Double> std = new ArrayList<>();
        double floor = summary.doubleColumn(Tables.MIOU + "_std").getDouble(0);
        for (int r = 1; r < summary.rowCount(); r++) {
            String map = summary.stringColumn(MAP).get(r);
            String v = summary.stringColumn(Tables.VARIANT).get(r);
            labels.add(shortLabel(v, map));
            mean.add(summary.doubleColumn(Tables.MIOU + "_delta").getDouble(r));
            std.add(summary.doubleColumn(Tables.MIOU + "_std").getDouble(r));
        }
        double[] m = mean.stream().mapToDouble(Double::doubleValue).toArray();
        double[] s = std.stream().mapToDouble(Double::doubleValue).toArray();
        String title = "ACR: mIoU gain over the 2-view baseline (train, val thr.)"
                + (Double.isNaN(floor) ? "; no noise floor (1 seed)"
                        : String.format(Locale.ROOT, "; noise floor ±2σ = ±%.4f", 2 * floor));
        CategoryChart c = Charts.barWithErrors(title, "mIoU gain", labels, m, s);
        if (!Double.isNaN(floor)) {
            c.getStyler().setLegendVisible(true);
            List<Double> up = new ArrayList<>();
            List<Double> down = new ArrayList<>();
            for (int i = 0; i < labels.size(); i++) {
                up.add(2 * floor);
                down.add(-2 * floor);
            }
            for (var series : List.of(c.addSeries("+2σ baseline", labels, up),
                    c.addSeries("-2σ baseline", labels, down))) {
                series.setChartCategorySeriesRenderStyle(
                        CategorySeries.CategorySeriesRenderStyle.Line);
            }
        }
        return c;
    }

    /** A bar label short enough for the chart's axis. */
    static String shortLabel(String variant, String map) {
        String v;
        if (variant.equals(BASELINE_VARIANT)) {
            v = "2-view base";
        } else if (variant.equals(MAIN_VARIANT)) {
            v = "both";
        } else if (variant.startsWith("+ class-to-patch")) {
            v = "+c2p";
        } else if (variant.startsWith("+ patch-to-patch")) {
            v = "+p2p";
        } else if (variant.startsWith("alpha sweep: x")) {
            v = "α×" + variant.substring("alpha sweep: x".length());
        } else {
            v = variant;
        }
        for (Localisation l : Localisation.values()) {
            if (l.label().equals(map) && l != Localisation.BASELINE_CAM) {
                String m = switch (l) {
                    case CLASS_ATTENTION -> "attn";
                    case GRADIENT -> "grad";
                    default -> "grad×aff";
                };
                return v + " / " + m;
            }
        }
        return v;
    }

    /**
     * The unweighted L1 terms over training steps (first seed), baseline vs ACR rows, × N (units
     * of a uniform attention weight).
     */
    static XYChart consistencyChart(Map<String, List<StepLog>> histories, int tokens) {
        List<Charts.Series> series = new ArrayList<>();
        for (String variant : List.of(BASELINE_VARIANT, MAIN_VARIANT)) {
            List<StepLog> h = histories.get(variant);
            if (h == null) {
                continue;
            }
            for (String term : List.of("c2p", "p2p")) {
                String k = "acr.l1." + term;
                double[] x = h.stream().filter(s -> s.terms().containsKey(k))
                        .mapToDouble(StepLog::step).toArray();
                double[] y = h.stream().filter(s -> s.terms().containsKey(k))
                        .mapToDouble(s -> s.terms().get(k) * tokens).toArray();
                if (x.length > 0) {
                    series.add(new Charts.Series(variant + ": " + term + " L1", x, y));
                }
            }
        }
        return Charts.lines("ACR: flip inconsistency of attention over training (training"
                + " batches)", "step", "mean L1 x N (units of 1/N)", series);
    }

    /**
     * Image | ground truth | baseline row's CAM | main row's CAM | main row's gradient map |
     * gradients × affinity, for the first label class, on the first few training images.
     */
    static BufferedImage overlays(List<Evaluated> results, VocDataset train, long seed)
            throws IOException {
        List<List<ClassMaps>> columns = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        String[][] wanted = {
            {BASELINE_VARIANT, Localisation.BASELINE_CAM.label(), "baseline: CAM"},
            {MAIN_VARIANT, Localisation.BASELINE_CAM.label(), "ACR: CAM"},
            {MAIN_VARIANT, Localisation.GRADIENT.label(), "ACR: gradients"},
            {MAIN_VARIANT, Localisation.GRADIENT_AFFINITY.label(), "ACR: grad x aff"}
        };
        for (String[] w : wanted) {
            for (Evaluated e : results) {
                if (e.seed() == seed && e.row().variant().equals(w[0])
                        && e.map().label().equals(w[1]) && e.trainMaps() != null) {
                    columns.add(e.trainMaps());
                    titles.add(w[2]);
                    break;
                }
            }
        }
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        int shown = 0;
        int scale = Math.max(1, 192 / Math.max(1, train.readImage(0).width()));
        for (int i = 0; i < train.size() && shown < 4; i++) {
            if (train.labels(i).length == 0) {
                continue;
            }
            RgbImage img = train.readImage(i);
            IndexedPng.LabelMap gt = train.readMask(i);
            int cls = train.labels(i)[0];
            tiles.add(Overlays.scale(Overlays.image(img.width(), img.height(), img.rgb()), scale));
            captions.add(train.id(i));
            tiles.add(Overlays.scale(Overlays.labels(img.width(), img.height(), img.rgb(), gt,
                    0.6), scale));
            captions.add("ground truth");
            for (int k = 0; k < columns.size(); k++) {
                ClassMaps cm = columns.get(k).get(i);
                tiles.add(Overlays.scale(Overlays.heat(img.width(), img.height(), img.rgb(),
                        cm.mapOf(cls)), scale));
                captions.add(titles.get(k) + " (" + train.classes().nameOf(cls) + ")");
            }
            shown++;
        }
        return Overlays.grid(tiles, 2 + columns.size(), captions);
    }

    private static Provenance provenance(Profile profile, Protocol protocol, VitConfig mc,
            int tokens, long t0, List<Double> alphaFactors) throws IOException {
        long first = profile.seeds().get(0);
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("tokens", tokens);
        resolved.put("alpha", AcrConfig.PAPER.resolvedAlpha(tokens));
        resolved.put("affinityWeight", AcrConfig.PAPER.resolvedAffinityWeight(tokens));
        resolved.put("alphaFactors", alphaFactors);
        resolved.put("localisationBlocks",
                LayerPositions.from(LocalisationConfig.PAPER.startLayer(), mc.depth()));
        resolved.put("baselineCamBlocks", LayerPositions.last(3, mc.depth()));
        return RunProvenance.of(profile, t0)
                .config("model", mc)
                .config("train", protocol.trainConfig(first))
                .config("warmupSteps", profile.warmupSteps())
                .config("branchSteps", profile.branchSteps())
                .config("acr", AcrConfig.PAPER)
                .config("acrResolved", resolved)
                .config("localisation", LocalisationConfig.PAPER.withScales(profile.camScales()))
                .config("cam", CamConfig.BASELINE.withScales(profile.camScales()))
                .config("generator", protocol.generator())
                .config("seeds", "two-view baseline and main row: " + profile.seeds()
                        + "; every other row: seed " + first + " only")
                .config("noise", "gain = row mean - baseline mean (two views, terms off, baseline"
                        + " CAM); 'within noise' when |gain| < 2 x the baseline's std")
                .build();
    }
}
