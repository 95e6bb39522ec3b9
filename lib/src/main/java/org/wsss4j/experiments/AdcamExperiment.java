package org.wsss4j.experiments;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wsss4j.cam.CamConfig;
import org.wsss4j.cam.CamKind;
import org.wsss4j.cam.CamOps;
import org.wsss4j.cam.ClassActivation;
import org.wsss4j.data.RgbImage;
import org.wsss4j.data.VocDataset;
import org.wsss4j.eval.ClassMaps;
import org.wsss4j.eval.PseudoLabels;
import org.wsss4j.eval.ThresholdSweep;
import org.wsss4j.methods.adcam.AdCam;
import org.wsss4j.methods.adcam.AdCamConfig;
import org.wsss4j.methods.adcam.AttentionSource;
import org.wsss4j.methods.adcam.Diffusion;
import org.wsss4j.methods.adcam.Refinement;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.LayerPositions;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitOutput;
import org.wsss4j.report.Charts;
import org.wsss4j.report.Overlays;
import org.wsss4j.report.Provenance;
import org.wsss4j.report.ResultsWriter;
import org.wsss4j.report.Tables;
import org.wsss4j.runtime.Profile;
import tech.tablesaw.api.Table;

/**
 * Notebook 03: AD-CAM vs CAM on the baseline checkpoints (training-free). Rows of methods.md
 * Part 1: PatchCAM; direct coupling (= the baseline CAM); diffusion along unrefined attention;
 * AD-CAM (refinement + diffusion) on PatchCAM and on the baseline CAM; a steps sweep. The
 * candidate, steps and attention blocks are chosen on `val` (best val mIoU), never on the scored
 * split. AD-CAM is reconstructed from the paper's abstract (no code, equations unread).
 */
public final class AdcamExperiment implements MainRowScorer {
    static final int[] STEPS = {1, 2, 3, 4};

    @Override
    public String name() {
        return "adcam";
    }

    @Override
    public String description() {
        return "AD-CAM (attention refinement + diffusion) vs CAM and direct coupling, training-free";
    }

    /** Where the patch-to-patch attention comes from. */
    enum Blocks {
        ALL,
        DEEP_HALF
    }

    /** One refinement setting applied to one base map. */
    record Variant(CamKind base, Refinement refinement, int steps, Blocks blocks) {
        String label() {
            if (steps == 0) {
                return base == CamKind.BASELINE ? "direct coupling (baseline CAM)" : "PatchCAM";
            }
            String b = base == CamKind.BASELINE ? "baseline CAM" : "PatchCAM";
            String r = refinement == Refinement.NONE ? "diffusion (unrefined)"
                    : "AD-CAM " + refinement.name().toLowerCase();
            return r + " on " + b;
        }

        String detail() {
            return steps == 0 ? "scale 1 + flip"
                    : "t=" + steps + ", blocks " + blocks.name().toLowerCase().replace('_', ' ');
        }
    }

    /** The map function of a variant: per view, refine the grid map, upsample, un-flip, sum. */
    static CamEvaluation.MapFn mapFn(Variant v) {
        return (model, images) -> {
            NDArray[] sum = {null};
            for (boolean flip : new boolean[] {false, true}) {
                NDArray x = flip ? CamOps.flipW(images) : images;
                VitOutput out = model.forward(x, ForwardRequest.ATTENTION);
                add(sum, refineView(model, out, v, flip, images));
            }
            return CamOps.minMax(sum[0].maximum(0f));
        };
    }

    /** One view's contribution: grid map, refined along its attention, upsampled, un-flipped. */
    static NDArray refineView(VisionTransformer model, VitOutput out, Variant v, boolean flip,
            NDArray images) {
        int depth = model.config().depth();
        int[] blocks = v.blocks() == Blocks.ALL ? range(0, depth)
                : LayerPositions.atOrAbove(6, depth);
        NDArray grid = ClassActivation.gridMap(model, out, CamConfig.BASELINE.withKind(v.base()));
        if (v.steps() > 0) {
            NDArray attn = AttentionSource.meanOf(blocks)
                    .patchToPatch(out.attention(), out.numClassTokens());
            grid = AdCam.refine(grid, attn, new AdCamConfig(v.refinement(), v.steps(), 0.0));
        }
        NDArray up = CamOps.resize(grid, (int) images.getShape().get(2),
                (int) images.getShape().get(3));
        return flip ? CamOps.flipW(up) : up;
    }

    private static void add(NDArray[] sum, NDArray x) {
        sum[0] = sum[0] == null ? x : sum[0].add(x);
    }

    /**
     * The val selection evaluates dozens of variants: one forward per image and view serves them
     * all (the forward outputs are kept, the refinements are cheap).
     */
    static Map<Variant, Double> valSelection(VisionTransformer model, VocDataset val,
            List<Variant> variants, int batch) throws IOException {
        Map<Variant, ThresholdSweep> sweeps = new LinkedHashMap<>();
        for (Variant v : variants) {
            sweeps.put(v, new ThresholdSweep(val.split(), val.classes().numLabels()));
        }
        for (int start = 0; start < val.size(); start += batch) {
            int end = Math.min(val.size(), start + batch);
            try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(
                    model.device())) {
                ai.djl.ndarray.NDList xs = new ai.djl.ndarray.NDList();
                for (int i = start; i < end; i++) {
                    xs.add(org.wsss4j.data.ImageTensors.toNDArray(m, val.readImage(i), 1.0,
                            false));
                }
                NDArray images = ai.djl.ndarray.NDArrays.concat(xs, 0);
                VitOutput plain = model.forward(images, ForwardRequest.ATTENTION);
                VitOutput flipped = model.forward(CamOps.flipW(images), ForwardRequest.ATTENTION);
                for (Variant v : variants) {
                    try (ai.djl.ndarray.NDManager vm = m.newSubManager()) {
                        NDArray a = refineView(model, plain, v, false, images);
                        NDArray b = refineView(model, flipped, v, true, images);
                        NDArray maps = CamOps.minMax(a.add(b).maximum(0f));
                        maps.attach(vm);
                        List<ClassMaps> cms = CamEvaluation.toClassMaps(maps, val, start);
                        for (int k = 0; k < cms.size(); k++) {
                            sweeps.get(v).add(cms.get(k), val.readMask(start + k));
                        }
                    }
                }
            }
        }
        Map<Variant, Double> out = new LinkedHashMap<>();
        sweeps.forEach((v, sw) -> out.put(v, sw.best().metrics().mIoU()));
        return out;
    }

    /** Direct coupling: the baseline CAM itself, the experiment's baseline row. */
    static final Variant DIRECT = new Variant(CamKind.BASELINE, Refinement.NONE, 0, Blocks.ALL);

    /** Every candidate × steps × block set that {@code val} chooses among. */
    static List<Variant> grid() {
        List<Variant> grid = new ArrayList<>();
        for (Blocks b : Blocks.values()) {
            for (Refinement r : Refinement.values()) {
                for (int s : STEPS) {
                    grid.add(new Variant(CamKind.BASELINE, r, s, b));
                }
            }
            for (int s : STEPS) {
                grid.add(new Variant(CamKind.PATCH_CAM, Refinement.PRODUCT, s, b));
            }
        }
        return grid;
    }

    /**
     * The settings {@code val} chose (best val mIoU, first in grid order on ties): AD-CAM on the
     * baseline CAM (the main row), unrefined diffusion, and AD-CAM on PatchCAM.
     */
    record Choice(Variant ad, Variant diffusion, Variant patchCam) {
        static Choice of(Map<Variant, Double> valScores) {
            Variant ad = null, diff = null, patch = null;
            for (Map.Entry<Variant, Double> e : valScores.entrySet()) {
                Variant v = e.getKey();
                double score = e.getValue();
                if (v.base() == CamKind.BASELINE && v.refinement() != Refinement.NONE
                        && (ad == null || score > valScores.get(ad))) {
                    ad = v;
                }
                if (v.base() == CamKind.BASELINE && v.refinement() == Refinement.NONE
                        && (diff == null || score > valScores.get(diff))) {
                    diff = v;
                }
                if (v.base() == CamKind.PATCH_CAM
                        && (patch == null || score > valScores.get(patch))) {
                    patch = v;
                }
            }
            return new Choice(ad, diff, patch);
        }
    }

    /** What {@code val} chose on the first seed's baseline branch, as {@link #run} chooses. */
    static Choice chooseOnVal(VisionTransformer firstSeedModel, VocDataset val)
            throws IOException {
        return Choice.of(valSelection(firstSeedModel, val, grid(),
                BaselineExperiment.EVAL_BATCH));
    }

    /** The provenance key of the AD-CAM setting chosen on val. */
    static final String CHOSEN_KEY = "chosen_on_val";

    @Override
    public String rowsTable() {
        return "adcam_rows";
    }

    /**
     * The summary's rows: direct coupling and AD-CAM on the baseline CAM with the setting val
     * chose, as recorded in {@code dir}/adcam_rows.json.
     */
    @Override
    public List<MainRow> mainRows(Profile profile, Path dir) throws IOException {
        Path json = dir.resolve("adcam_rows.json");
        Object chosen = Provenance.fromJson(java.nio.file.Files.readString(json)).config()
                .get(CHOSEN_KEY);
        if (!(chosen instanceof Map<?, ?> m)) {
            throw new IOException(json + ": no '" + CHOSEN_KEY + "' setting in its config");
        }
        try {
            return mainRows(new Variant(CamKind.valueOf(String.valueOf(m.get("base"))),
                    Refinement.valueOf(String.valueOf(m.get("refinement"))),
                    ((Number) m.get("steps")).intValue(),
                    Blocks.valueOf(String.valueOf(m.get("blocks")))));
        } catch (RuntimeException e) {
            throw new IOException(json + ": unreadable '" + CHOSEN_KEY + "' " + chosen, e);
        }
    }

    static List<MainRow> mainRows(Variant chosen) {
        return List.of(
                new MainRow(Role.OWN_BASELINE, "AD-CAM's baseline (direct coupling)", Kind.CAM,
                        Map.of(Tables.METHOD, DIRECT.label(), Tables.VARIANT,
                                DIRECT.detail())),
                new MainRow(Role.MAIN, "AD-CAM: refinement + diffusion on the baseline CAM",
                        Kind.CAM, Map.of(Tables.METHOD, chosen.label(),
                                Tables.VARIANT, chosen.detail())));
    }

    /**
     * Direct coupling and AD-CAM (setting chosen on val with the first seed's model, as {@link
     * #run} does) on every seed's baseline branch, scored on {@code split}, threshold from val.
     */
    @Override
    public List<SplitScore> scoreMainRows(Profile profile, String split) throws IOException {
        BaselineExperiment.checkSplit(split);
        Protocol protocol = new Protocol(profile);
        VocDataset val = protocol.dataset("val");
        VocDataset ds = protocol.dataset(split);
        int batch = BaselineExperiment.EVAL_BATCH;
        Variant chosen = null;
        List<SplitScore> out = new ArrayList<>();
        for (long seed : profile.seeds()) {
            try (Protocol.Trained t = BaselineExperiment.branch(protocol, seed)) {
                if (chosen == null) {
                    chosen = chooseOnVal(t.model(), val).ad();
                }
                List<MainRow> rows = mainRows(chosen);
                List<Variant> variants = List.of(DIRECT, chosen);
                for (int i = 0; i < variants.size(); i++) {
                    CamEvaluation.Scores s = CamEvaluation.score(t.model(),
                            mapFn(variants.get(i)), val, ds, batch);
                    out.add(new SplitScore(rows.get(i), seed, s.honest(), s.oracle()));
                }
            }
        }
        return out;
    }

    static int[] range(int a, int b) {
        return java.util.stream.IntStream.range(a, b).toArray();
    }

    @Override
    public Path run(Profile profile) throws IOException {
        long t0 = System.nanoTime();
        Protocol protocol = new Protocol(profile);
        VocDataset val = protocol.dataset("val");
        VocDataset train = protocol.dataset("train");
        int batch = BaselineExperiment.EVAL_BATCH;
        Table rows = Tables.results("AD-CAM rows");
        Table choice = Table.create("val choice").addColumns(
                tech.tablesaw.api.StringColumn.create("variant"),
                tech.tablesaw.api.StringColumn.create("detail"),
                tech.tablesaw.api.DoubleColumn.create("val_mIoU"));
        Variant chosenAd = null;
        Variant chosenDiff = null;
        Variant chosenPatch = null;
        List<ClassMaps> overlayBase = null;
        List<ClassMaps> overlayAd = null;
        double tBase = 0, tAd = 0;
        for (long seed : profile.seeds()) {
            boolean first = seed == profile.seeds().get(0);
            try (Protocol.Trained t = BaselineExperiment.branch(protocol, seed)) {
                VisionTransformer model = t.model();
                if (first) {
                    // Choose every setting on val (seed 0's model), once.
                    Map<Variant, Double> valScores = valSelection(model, val, grid(), batch);
                    for (Map.Entry<Variant, Double> e : valScores.entrySet()) {
                        choice.stringColumn("variant").append(e.getKey().label());
                        choice.stringColumn("detail").append(e.getKey().detail());
                        choice.doubleColumn("val_mIoU").append(e.getValue());
                    }
                    Choice c = Choice.of(valScores);
                    chosenAd = c.ad();
                    chosenDiff = c.diffusion();
                    chosenPatch = c.patchCam();
                }
                List<Variant> variants = new ArrayList<>();
                variants.add(DIRECT);
                variants.add(chosenAd);
                if (first) {
                    variants.add(new Variant(CamKind.PATCH_CAM, Refinement.NONE, 0, Blocks.ALL));
                    variants.add(chosenDiff);
                    variants.add(chosenPatch);
                    for (int s : STEPS) {
                        if (s != chosenAd.steps()) {
                            variants.add(new Variant(CamKind.BASELINE, chosenAd.refinement(), s,
                                    chosenAd.blocks()));
                        }
                    }
                }
                for (Variant v : variants) {
                    CamEvaluation.MapFn fn = mapFn(v);
                    ThresholdSweep vs = CamEvaluation.sweep(
                            CamEvaluation.maps(model, val, fn, batch), val);
                    List<ClassMaps> tm = CamEvaluation.maps(model, train, fn, batch);
                    ThresholdSweep ts = CamEvaluation.sweep(tm, train);
                    var honest = ThresholdSweep.chooseOn(vs, ts);
                    for (var score : List.of(honest, ts.oracle())) {
                        Tables.row(rows).method(v.label()).variant(v.detail()).seeds(seed)
                                .score(score).add();
                    }
                    if (first && v.steps() == 0 && v.base() == CamKind.BASELINE) {
                        overlayBase = tm;
                        tBase = honest.threshold();
                    }
                    if (first && v.equals(chosenAd)) {
                        overlayAd = tm;
                        tAd = honest.threshold();
                    }
                }
            }
        }
        Table agg = Tables.meanStd(rows, List.of(Tables.METHOD, Tables.VARIANT,
                        Tables.THRESHOLD_SPLIT),
                List.of(Tables.MIOU, Tables.MIOU_MCT, Tables.PRECISION, Tables.RECALL));
        agg = Tables.withNoise(agg, Tables.MIOU, "direct coupling (baseline CAM)");
        ResultsWriter out = ResultsWriter.forExperiment(name());
        Provenance prov = RunProvenance.of(profile, t0)
                .config("model", protocol.modelConfig())
                .config(CHOSEN_KEY, chosenAd)
                .config("method_status", "AD-CAM reconstructed from the paper's abstract: no"
                        + " public code; refinement operator, steps, blocks and normalisation"
                        + " UNVERIFIED (methods.md section 3); chosen on val")
                .build();
        out.write(rows, "adcam_rows", prov);
        out.write(agg, "adcam_summary", prov);
        out.write(choice, "val_choice", prov);
        out.writeFigure(precisionRecall(agg), "precision_recall");
        out.writeFigure(sideBySide(train, overlayBase, tBase, overlayAd, tAd, chosenAd),
                "overlays");
        return out.dir();
    }


    static org.knowm.xchart.XYChart precisionRecall(Table agg) {
        List<String> names = new ArrayList<>();
        List<Double> p = new ArrayList<>();
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < agg.rowCount(); i++) {
            if (!"val".equals(agg.getString(i, Tables.THRESHOLD_SPLIT))) {
                continue;
            }
            names.add(agg.getString(i, Tables.METHOD) + " (" + agg.getString(i, Tables.VARIANT)
                    + ")");
            double pi = agg.doubleColumn(Tables.PRECISION + "_mean").getDouble(i);
            double ri = agg.doubleColumn(Tables.RECALL + "_mean").getDouble(i);
            if (Double.isNaN(pi) || Double.isNaN(ri)) {
                names.remove(names.size() - 1); // nothing predicted as foreground: no point
                continue;
            }
            p.add(pi);
            r.add(ri);
        }
        return Charts.precisionRecall("Foreground precision vs recall (train, val threshold)",
                names, p.stream().mapToDouble(Double::doubleValue).toArray(),
                r.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static BufferedImage sideBySide(VocDataset train, List<ClassMaps> base, double tb,
            List<ClassMaps> ad, double ta, Variant chosen) throws IOException {
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        int n = Math.min(6, base.size());
        for (int i = 0; i < n; i++) {
            RgbImage img = train.readImage(i);
            int w = img.width(), h = img.height();
            tiles.add(Overlays.scale(Overlays.labels(w, h, img.rgb(), train.readMask(i), 0.6), 2));
            tiles.add(Overlays.scale(Overlays.heat(w, h, img.rgb(), base.get(i).maps()[0]), 2));
            tiles.add(Overlays.scale(Overlays.heat(w, h, img.rgb(), ad.get(i).maps()[0]), 2));
            tiles.add(Overlays.scale(Overlays.labels(w, h, img.rgb(),
                    PseudoLabels.label(ad.get(i), ta), 0.6), 2));
            captions.add(base.get(i).id() + " truth");
            captions.add("baseline CAM");
            captions.add(chosen.label().replace(" on baseline CAM", "") + " " + chosen.detail());
            captions.add(String.format("AD-CAM label t=%.2f", ta));
        }
        return Overlays.grid(tiles, 4, captions);
    }
}
