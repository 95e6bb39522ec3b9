package org.wsss4j.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.wsss4j.eval.ThresholdedScore;
import org.wsss4j.experiments.MainRowScorer.MainRow;
import org.wsss4j.experiments.MainRowScorer.Role;
import org.wsss4j.experiments.MainRowScorer.SplitScore;
import org.wsss4j.report.Provenance;
import org.wsss4j.report.ResultsWriter;
import org.wsss4j.report.Tables;
import org.wsss4j.runtime.Profile;
import org.wsss4j.runtime.WsssPaths;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Notebook 05: every experiment's main row (methods.md Part 1, picked by name, never the best on
 * the evaluated split) against the common baseline — the baseline CAM of the baseline branch —
 * with the baseline's std over seeds as the noise floor, on {@code train} (read from each
 * experiment's written rows table) and once on {@code test} (scored here through {@link
 * MainRowScorer#scoreMainRows}, every choice made on {@code val}). Beside them, the papers' own
 * PASCAL VOC numbers from methods.md, labelled as different data with each number's kind.
 * Writes results/summary/: {@code summary}, {@code papers_voc} and the chart {@code summary_miou}.
 *
 * <p>An experiment whose rows table is missing, or was written at another profile, is run first
 * through the {@link Experiments} registry at the current profile, so the summary also runs
 * alone.
 */
public final class SummaryExperiment implements Experiment {
    public static final String NAME = "summary";
    /** The split scored once, by this summary only. */
    public static final String TEST = "test";
    public static final String TRAIN = "train";
    /** The label of every number of {@code papers_voc}. */
    public static final String VOC_LABEL =
            "PASCAL VOC 2012 — different data, not comparable to the synthetic rows";

    /** Extra columns of the summary table. */
    public static final String EXPERIMENT = "experiment";
    public static final String PAPER = "paper";
    public static final String ROLE = "role";
    public static final String KIND = "kind";
    public static final String PROTOCOL = "protocol";
    public static final String NOISE_FLOOR = "noise_floor_2std";
    /** The row label is kept in the {@value Tables#METHOD} column, its table names in this one. */
    public static final String MAIN_ROW = Tables.VARIANT;

    static final String HONEST = "honest: threshold chosen on val";
    static final String ORACLE = "oracle: best threshold on the evaluated split (papers' protocol)";

    /** The paper behind each experiment, and a short name for the chart. */
    static final Map<String, String[]> PAPERS = Map.of(
            "baseline", new String[] {"MCTformer-V2 (common baseline)", "baseline"},
            "aream", new String[] {"AReAM (arXiv 2305.03112)", "AReAM"},
            "acr", new String[] {"ACR (all-pairs consistency)", "ACR"},
            "adcam", new String[] {"AD-CAM (arXiv 2211.10931), reconstructed", "AD-CAM"},
            "smaf", new String[] {"SMAF (self-training, fused multi-scale maps)", "SMAF"});

    /** What {@link #execute} returns to a notebook. */
    public record Result(Path dir, Table summary, Table papersVoc, CategoryChart chart) {}

    /** One seed's score of one row on one split under one threshold protocol. */
    record Observation(String experiment, MainRow row, String split, String thresholdLabel,
            long seed, double mIoU, double precision, double recall) {}

    /** Null until first used when made from the registry (which lists this experiment too). */
    private List<MainRowScorer> experiments;
    private final Path root;
    private final Map<String, List<SplitScore>> testScores = new LinkedHashMap<>();
    private final Map<String, Boolean> ran = new LinkedHashMap<>();

    /** Every registered experiment that names its main rows, under the results root. */
    public SummaryExperiment() {
        this.root = WsssPaths.results();
    }

    /** Given experiments (the one whose rows are the common baseline first) under {@code root}. */
    SummaryExperiment(List<MainRowScorer> experiments, Path root) {
        this.experiments = List.copyOf(experiments);
        this.root = root;
    }

    private List<MainRowScorer> scorers() {
        if (experiments == null) {
            experiments = Experiments.all().stream().filter(e -> e instanceof MainRowScorer)
                    .map(e -> (MainRowScorer) e).toList();
        }
        return experiments;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "each paper's main row vs the common baseline on train and test, with the noise"
                + " floor, beside the papers' VOC numbers";
    }

    /** The experiments summarised, in table order. */
    public List<String> experiments() {
        return scorers().stream().map(Experiment::name).toList();
    }

    @Override
    public Path run(Profile profile) throws IOException {
        return execute(profile).dir();
    }

    /**
     * Makes sure {@code experiment}'s rows table exists under the results root at {@code
     * profile}: runs the experiment when the table is missing or was written at another profile.
     * Returns true when it ran it.
     */
    public boolean ensure(String experiment, Profile profile) throws IOException {
        MainRowScorer e = scorer(experiment);
        if (written(e, profile)) {
            ran.putIfAbsent(e.name(), false);
            return false;
        }
        e.run(profile);
        if (!written(e, profile)) {
            throw new IOException(e.name() + " ran but wrote no " + e.rowsTable() + ".csv/.json"
                    + " at profile " + profile.name() + " under " + root.resolve(e.name()));
        }
        ran.put(e.name(), true);
        return true;
    }

    /**
     * The {@code test} scores of {@code experiment}'s rows (every seed of {@code profile}),
     * computed once per summary; its table must exist ({@link #ensure}) so that the models are
     * the cached ones the table was made from.
     */
    public List<SplitScore> scoreTest(String experiment, Profile profile) throws IOException {
        MainRowScorer e = scorer(experiment);
        List<SplitScore> s = testScores.get(e.name());
        if (s == null) {
            ensure(e.name(), profile);
            s = e.scoreMainRows(profile, TEST);
            testScores.put(e.name(), s);
        }
        return s;
    }

    /** Ensures every table, scores {@code test}, writes results/summary/ and returns it. */
    public Result execute(Profile profile) throws IOException {
        long t0 = System.nanoTime();
        for (MainRowScorer e : scorers()) {
            ensure(e.name(), profile);
        }
        List<Observation> obs = new ArrayList<>();
        Map<String, Object> sources = new LinkedHashMap<>();
        for (MainRowScorer e : scorers()) {
            Path dir = root.resolve(e.name());
            obs.addAll(readTrain(e.name(), e.mainRows(profile, dir),
                    readTable(dir.resolve(e.rowsTable() + ".csv"))));
            Provenance p = provenanceOf(e);
            Map<String, Object> src = new LinkedHashMap<>();
            src.put("table", e.name() + "/" + e.rowsTable() + ".csv");
            src.put("profile", p.profile());
            src.put("seeds", p.seeds());
            src.put("gitCommit", p.gitCommit());
            src.put("created", p.created());
            src.put("ranBySummary", ran.getOrDefault(e.name(), false));
            sources.put(e.name(), src);
        }
        boolean hasTest = profile.test() > 0;
        if (hasTest) {
            for (MainRowScorer e : scorers()) {
                obs.addAll(fromScores(e.name(), scoreTest(e.name(), profile)));
            }
        }
        Table summary = summarise(obs);
        Table voc = papersVoc();
        CategoryChart chart = chart(summary);
        ResultsWriter out = new ResultsWriter(root.resolve(NAME));
        Provenance prov = RunProvenance.of(profile, t0)
                .config("sources", sources)
                .config("mainRows", "methods.md Part 1: AReAM + affinity loss, uniform weights;"
                        + " ACR both terms, default alpha; AD-CAM refinement + diffusion on the"
                        + " baseline CAM, candidate and steps chosen on val; SMAF {0.5,1,1.5,2}"
                        + " + flip, denoise + reactivate, + self-training. Picked by name,"
                        + " never by score")
                .config("commonBaseline", "baseline CAM of the baseline branch"
                        + " (results/baseline); delta = row mean - its mean on the same split"
                        + " and threshold protocol; 'within noise' when |delta| < 2 x its std")
                .config("test", hasTest ? "scored once, by this summary, with every choice"
                        + " (threshold, AD-CAM setting, SMAF constant) made on val; never used"
                        + " for a choice" : "profile " + profile.name() + " has no test split")
                .config("kinds", "CAM mIoU: class maps thresholded against the background;"
                        + " pseudo-mask mIoU: SMAF's self-trained head's masks (not a CAM)")
                .build();
        out.write(summary, NAME, prov);
        Provenance vocProv = Provenance.builder()
                .profile(profile.name())
                .fromRuntime()
                .config("data", VOC_LABEL)
                .config("source", "/work/shared/methods.md Part 2, sections 1.6, 2.6, 3.3, 4.6,"
                        + " 5.1 and 5.6; tags as in its section 0 legend")
                .build();
        out.write(voc, "papers_voc", vocProv);
        out.writeFigure(chart, "summary_miou");
        return new Result(out.dir(), summary, voc, chart);
    }

    private MainRowScorer scorer(String name) {
        for (MainRowScorer e : scorers()) {
            if (e.name().equals(name.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("no experiment '" + name + "' in the summary: use one"
                + " of " + experiments());
    }

    /** The rows table and its provenance exist and were written at {@code profile}. */
    private boolean written(MainRowScorer e, Profile profile) throws IOException {
        Path dir = root.resolve(e.name());
        if (!Files.isRegularFile(dir.resolve(e.rowsTable() + ".csv"))
                || !Files.isRegularFile(dir.resolve(e.rowsTable() + ".json"))) {
            return false;
        }
        return profile.name().equals(provenanceOf(e).profile());
    }

    private Provenance provenanceOf(MainRowScorer e) throws IOException {
        Path json = root.resolve(e.name()).resolve(e.rowsTable() + ".json");
        try {
            return Provenance.fromJson(Files.readString(json));
        } catch (RuntimeException ex) {
            throw new IOException(json + ": not a provenance file: " + ex.getMessage(), ex);
        }
    }

    static Table readTable(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new IOException(csv + ": rows table missing");
        }
        return Table.read().csv(csv.toFile());
    }

    /**
     * The lines of {@code rows} (an experiment's rows table on train) that match each of {@code
     * mainRows} by name, under the honest and the oracle threshold protocol; fails naming the
     * table and the row when a row has no line.
     */
    static List<Observation> readTrain(String experiment, List<MainRow> mainRows, Table rows) {
        List<Observation> out = new ArrayList<>();
        for (MainRow row : mainRows) {
            int found = 0;
            for (int r = 0; r < rows.rowCount(); r++) {
                if (!matches(rows, r, row.match()) || !TRAIN.equals(text(rows, Tables.SPLIT, r))) {
                    continue;
                }
                String th = text(rows, Tables.THRESHOLD_SPLIT, r);
                if (!th.equals("val") && !th.equals("oracle (" + TRAIN + ")")) {
                    continue; // e.g. SMAF's fixed paper constant: neither protocol
                }
                for (String seed : text(rows, Tables.SEEDS, r).split(Tables.SEED_SEPARATOR)) {
                    out.add(new Observation(experiment, row, TRAIN, th, Long.parseLong(
                            seed.trim()), number(rows, Tables.MIOU, r),
                            number(rows, Tables.PRECISION, r), number(rows, Tables.RECALL, r)));
                }
                found++;
            }
            if (found == 0) {
                throw new IllegalStateException("rows table '" + rows.name() + "' of "
                        + experiment + " has no line on train with " + row.match()
                        + " (the row '" + row.label() + "'): re-run " + experiment);
            }
        }
        return out;
    }

    static List<Observation> fromScores(String experiment, List<SplitScore> scores) {
        List<Observation> out = new ArrayList<>();
        for (SplitScore s : scores) {
            for (ThresholdedScore t : List.of(s.honest(), s.oracle())) {
                out.add(new Observation(experiment, s.row(), t.split(), t.thresholdLabel(),
                        s.seed(), t.metrics().mIoU(), t.metrics().precision(),
                        t.metrics().recall()));
            }
        }
        return out;
    }

    /**
     * Mean ± std over seeds of every row, per split and threshold protocol, with Δ to the common
     * baseline of the same split and protocol and the noise label (2 × the baseline's std).
     */
    static Table summarise(List<Observation> obs) {
        Table t = Tables.results("summary rows");
        for (Observation o : obs) {
            String[] paper = PAPERS.getOrDefault(o.experiment(),
                    new String[] {o.experiment(), o.experiment()});
            Tables.row(t).set(EXPERIMENT, o.experiment()).set(PAPER, paper[0])
                    .set(ROLE, o.row().role().label()).method(o.row().label())
                    .variant(describe(o.row().match())).set(KIND, o.row().kind().label())
                    .split(o.split()).thresholdSplit(o.thresholdLabel())
                    .set(PROTOCOL, o.thresholdLabel().startsWith("oracle") ? ORACLE : HONEST)
                    .seeds(o.seed()).mIoU(o.mIoU()).precision(o.precision()).recall(o.recall())
                    .add();
        }
        Table agg = Tables.meanStd(t, List.of(EXPERIMENT, PAPER, ROLE, Tables.METHOD,
                        Tables.VARIANT, KIND, Tables.SPLIT, Tables.THRESHOLD_SPLIT, PROTOCOL),
                List.of(Tables.MIOU, Tables.PRECISION, Tables.RECALL));
        // One block per split and protocol, in order of first appearance (train before test).
        Map<String, List<Integer>> blocks = new LinkedHashMap<>();
        for (int r = 0; r < agg.rowCount(); r++) {
            blocks.computeIfAbsent(agg.getString(r, Tables.SPLIT) + "\u0000"
                    + agg.getString(r, Tables.THRESHOLD_SPLIT), k -> new ArrayList<>()).add(r);
        }
        Table out = null;
        for (Map.Entry<String, List<Integer>> b : blocks.entrySet()) {
            Table sub = agg.rows(b.getValue().stream().mapToInt(Integer::intValue).toArray());
            int base = -1;
            for (int r = 0; r < sub.rowCount(); r++) {
                if (Role.COMMON_BASELINE.label().equals(sub.getString(r, ROLE))) {
                    base = r;
                    break;
                }
            }
            if (base < 0) {
                throw new IllegalStateException("no common baseline row on split/protocol "
                        + b.getKey().replace('\u0000', '/') + ": the summary needs the baseline"
                        + " experiment's rows there");
            }
            Table noted = Tables.withNoise(sub, Tables.MIOU, base);
            double floor = noted.doubleColumn(Tables.MIOU + "_std").getDouble(base);
            DoubleColumn f = DoubleColumn.create(NOISE_FLOOR);
            for (int r = 0; r < noted.rowCount(); r++) {
                f.append(2 * floor);
            }
            noted.addColumns(f);
            out = out == null ? noted : out.append(noted);
        }
        if (out == null) {
            throw new IllegalStateException("nothing to summarise: no rows");
        }
        out.setName("summary");
        return out.selectColumns(EXPERIMENT, PAPER, ROLE, Tables.METHOD, Tables.VARIANT,
                Tables.SPLIT, Tables.THRESHOLD_SPLIT, PROTOCOL, KIND, Tables.N, Tables.SEEDS,
                Tables.MIOU + "_mean", Tables.MIOU + "_std", Tables.MIOU + "_delta",
                Tables.MIOU + "_noise", NOISE_FLOOR, Tables.PRECISION + "_mean",
                Tables.RECALL + "_mean");
    }

    /** The columns a reader needs first, from a {@link #summarise} table (for notebooks). */
    public static Table compact(Table summary) {
        return summary.selectColumns(ROLE, Tables.METHOD, Tables.SPLIT, Tables.THRESHOLD_SPLIT,
                KIND, Tables.N, Tables.MIOU + "_mean", Tables.MIOU + "_std",
                Tables.MIOU + "_delta", Tables.MIOU + "_noise", NOISE_FLOOR);
    }

    /** "column=value; …" of a row's match, in a stable order. */
    static String describe(Map<String, String> match) {
        return match.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
    }

    /**
     * Grouped bars: the common baseline and each main row (honest protocol), train and test side
     * by side, error bars = std over seeds.
     */
    static CategoryChart chart(Table summary) {
        List<String> labels = new ArrayList<>();
        Map<String, String> keyOf = new LinkedHashMap<>();
        for (int r = 0; r < summary.rowCount(); r++) {
            String role = summary.getString(r, ROLE);
            if (role.equals(Role.OWN_BASELINE.label())) {
                continue;
            }
            String e = summary.getString(r, EXPERIMENT);
            String shortName = PAPERS.getOrDefault(e, new String[] {e, e})[1];
            if (summary.getString(r, KIND).equals(MainRowScorer.Kind.PSEUDO_MASK.label())) {
                shortName += " (pseudo mask)";
            }
            if (!keyOf.containsKey(e + "|" + role)) {
                keyOf.put(e + "|" + role, shortName);
                labels.add(shortName);
            }
        }
        CategoryChart c = new CategoryChartBuilder()
                .width(ResultsWriter.FIGURE_WIDTH)
                .height(ResultsWriter.FIGURE_HEIGHT)
                .title("Main rows vs the common baseline (threshold chosen on val; ± std)")
                .yAxisTitle("mIoU (synthetic benchmark)")
                .build();
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setChartTitleBoxVisible(false);
        for (String split : List.of(TRAIN, TEST)) {
            List<Double> mean = new ArrayList<>();
            List<Double> std = new ArrayList<>();
            boolean any = false;
            for (Map.Entry<String, String> k : keyOf.entrySet()) {
                double m = Double.NaN;
                double s = Double.NaN;
                for (int r = 0; r < summary.rowCount(); r++) {
                    String key = summary.getString(r, EXPERIMENT) + "|"
                            + summary.getString(r, ROLE);
                    if (key.equals(k.getKey()) && split.equals(summary.getString(r, Tables.SPLIT))
                            && "val".equals(summary.getString(r, Tables.THRESHOLD_SPLIT))) {
                        m = summary.doubleColumn(Tables.MIOU + "_mean").getDouble(r);
                        s = summary.doubleColumn(Tables.MIOU + "_std").getDouble(r);
                    }
                }
                any |= !Double.isNaN(m);
                mean.add(Double.isNaN(m) ? 0.0 : m);
                std.add(Double.isNaN(s) ? 0.0 : s);
            }
            if (any) {
                c.addSeries(split, labels, mean, std);
            }
        }
        return c;
    }

    /** One number of {@code papers_voc}. */
    record VocNumber(String method, String setting, String backbone, String kind, double mIoU,
            String source, String section) {}

    /** The papers' PASCAL VOC 2012 numbers as methods.md records them (NaN: not available). */
    static final List<VocNumber> VOC_NUMBERS = List.of(
            new VocNumber("MCTformer-V2 (common baseline)", "seed", "DeiT-S",
                    "CAM (seed) mIoU, VOC train", 61.7, "paper ablation, quoted in [ISSUE #16,"
                    + " #22]", "5.1, 5.6"),
            new VocNumber("MCTformer-V2 (common baseline)", "PSA masks", "DeiT-S",
                    "pseudo-mask mIoU, VOC train", 69.1, "[ISSUE #23]", "5.1, 5.6"),
            new VocNumber("MCTformer-V2 (common baseline)", "segmentation", "DeiT-S seeds",
                    "segmentation mIoU, VOC val", 71.9, "[AGG wizwand]; [ISSUE #23]", "5.1"),
            new VocNumber("MCTformer-V2 (common baseline)", "segmentation", "DeiT-S seeds",
                    "segmentation mIoU, VOC test", 71.6, "[AGG wizwand]", "5.1"),
            new VocNumber("AReAM", "+ affinity loss, uniform weights (main row)",
                    "MCTformer-V2 (DeiT-S/16)", "CAM (seed) mIoU, VOC train", 67.93,
                    "[README v1/v2]", "1.6"),
            new VocNumber("AReAM", "+ affinity loss, entropy weights",
                    "MCTformer-V2 (DeiT-S/16)", "CAM (seed) mIoU, VOC train", 67.73,
                    "[README v1]", "1.6"),
            new VocNumber("AReAM", "+ affinity loss, uniform weights", "Conformer-S",
                    "CAM (seed) mIoU, VOC train", 70.69, "[README v2]", "1.6"),
            new VocNumber("ACR", "both terms (localization map)", "ViT-B hybrid",
                    "CAM (seed) mIoU, VOC train", 67.3, "[ABS]", "2.6"),
            new VocNumber("ACR", "segmentation", "DeepLabV2-R101",
                    "segmentation mIoU, VOC test", 70.9, "[AGG PwC]", "2.6"),
            new VocNumber("AD-CAM", "refinement + diffusion", "unknown",
                    "none: UNVERIFIED / unavailable (no public code; the abstract gives no"
                    + " numbers)", Double.NaN, "—", "3.3"),
            new VocNumber("SMAF", "fused maps + self-training, CRF", "EPS (WideResNet-38)",
                    "pseudo-mask mIoU, VOC train 1,464", 73.88, "[LOG]", "4.6"),
            new VocNumber("SMAF", "segmentation", "EPS (WideResNet-38)",
                    "segmentation mIoU, VOC val", 72.4, "[ABS]", "4.6"),
            new VocNumber("SMAF", "segmentation", "EPS (WideResNet-38)",
                    "segmentation mIoU, VOC test", 72.4, "[ABS]", "4.6"));

    /** The papers' VOC numbers as a table, each labelled with its kind and as different data. */
    public static Table papersVoc() {
        Table t = Table.create("papers_voc");
        StringColumn method = StringColumn.create("method");
        StringColumn setting = StringColumn.create("setting");
        StringColumn backbone = StringColumn.create("backbone");
        StringColumn kind = StringColumn.create(KIND);
        DoubleColumn miou = DoubleColumn.create("mIoU_percent");
        StringColumn data = StringColumn.create("data");
        StringColumn source = StringColumn.create("source");
        StringColumn section = StringColumn.create("methods_md_section");
        for (VocNumber v : VOC_NUMBERS) {
            method.append(v.method());
            setting.append(v.setting());
            backbone.append(v.backbone());
            kind.append(v.kind());
            miou.append(v.mIoU());
            data.append(VOC_LABEL);
            source.append(v.source());
            section.append(v.section());
        }
        return t.addColumns(method, setting, backbone, kind, miou, data, source, section);
    }

    private static boolean matches(Table t, int r, Map<String, String> match) {
        for (Map.Entry<String, String> m : match.entrySet()) {
            if (!t.containsColumn(m.getKey()) || !m.getValue().equals(text(t, m.getKey(), r))) {
                return false;
            }
        }
        return true;
    }

    private static String text(Table t, String column, int r) {
        Column<?> c = t.column(column);
        return c.isMissing(r) ? "" : c.getString(r);
    }

    private static double number(Table t, String column, int r) {
        if (!t.containsColumn(column)) {
            return Double.NaN;
        }
        Column<?> c = t.column(column);
        if (c.isMissing(r)) {
            return Double.NaN;
        }
        Object v = c.get(r);
        return v instanceof Number n ? n.doubleValue() : Double.parseDouble(c.getString(r));
    }
}
