package org.wsss4j.experiments;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.wsss4j.cam.CamConfig;
import org.wsss4j.cam.CamKind;
import org.wsss4j.data.GeneratorVersion;
import org.wsss4j.data.RgbImage;
import org.wsss4j.data.VocDataset;
import org.wsss4j.report.Charts;
import org.wsss4j.report.Overlays;
import org.wsss4j.report.Provenance;
import org.wsss4j.report.ResultsWriter;
import org.wsss4j.runtime.Profile;
import org.wsss4j.train.StepLog;
import tech.tablesaw.api.Table;

/**
 * The steps of notebook 00, one call each: look at the benchmark, train the baseline of one seed,
 * look at its maps, tabulate. Everything is the library's (Protocol, BaselineExperiment); this
 * only strings it together so the notebook stays thin.
 */
public final class Quickstart {
    private final Protocol protocol;
    private final long seed;
    private final long started = System.nanoTime();
    private BaselineExperiment.SeedResult result;

    public Quickstart(Profile profile) {
        this.protocol = new Protocol(profile);
        this.seed = profile.seeds().get(0);
    }

    public Protocol protocol() {
        return protocol;
    }

    /** The first {@code n} images of a split beside their ground-truth masks. */
    public BufferedImage showcase(String split, int n) throws IOException {
        VocDataset ds = protocol.dataset(split);
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < Math.min(n, ds.size()); i++) {
            RgbImage img = ds.readImage(i);
            tiles.add(Overlays.scale(Overlays.image(img.width(), img.height(), img.rgb()), 2));
            tiles.add(Overlays.scale(Overlays.labels(img.width(), img.height(), img.rgb(),
                    ds.readMask(i), 0.6), 2));
            StringBuilder names = new StringBuilder();
            for (int c : ds.labels(i)) {
                names.append(names.length() == 0 ? "" : ", ").append(ds.classes().nameOf(c));
            }
            captions.add(ds.id(i));
            captions.add(names.toString());
        }
        return Overlays.grid(tiles, 4, captions);
    }

    /** Trains (or loads from the cache) the warm-up and the baseline branch, then scores them. */
    public BaselineExperiment.SeedResult trainAndScore() throws IOException {
        result = new BaselineExperiment().runSeed(protocol, seed, protocol.dataset("val"),
                protocol.dataset("train"));
        return result;
    }

    /** Training loss over steps (warm-up and branch). */
    public org.knowm.xchart.XYChart lossCurve() {
        List<StepLog> h = need().history();
        return Charts.lines("Training loss", "step", "loss", List.of(new Charts.Series("loss",
                h.stream().mapToDouble(StepLog::step).toArray(),
                h.stream().mapToDouble(StepLog::loss).toArray())));
    }

    /** Best and worst train images: image, truth, CAM, pseudo label. */
    public BufferedImage overlays() throws IOException {
        return BaselineExperiment.overlays(need(), protocol.dataset("train"));
    }

    /** mIoU of the baseline CAM, PatchCAM and class attention, both threshold protocols. */
    public Table table() {
        return BaselineExperiment.rowsTable(List.of(need()));
    }

    /**
     * Where the maps' false positives fall and how many maps are flooded, with mean map values
     * on part, body and background (see {@link org.wsss4j.eval.ErrorAnatomy}).
     */
    public Table errorAnatomy() {
        return BaselineExperiment.anatomyTable(List.of(need()));
    }

    /**
     * What the maps' false positives on background fall on — plain background, the class's own
     * context region, another's, clutter, part-like distractors, decoy bodies — as shares and as
     * rates (see {@link org.wsss4j.eval.ErrorAnatomy#backdropShares()}).
     */
    public Table fpSources() {
        return BaselineExperiment.fpSourcesTable(List.of(need()));
    }

    /** Writes the table and figures to results/quickstart/. */
    public Path write() throws IOException {
        ResultsWriter out = ResultsWriter.forExperiment("quickstart");
        Provenance prov = Provenance.builder()
                .profile(protocol.profile().name())
                .seeds(seed)
                .generatorVersion(GeneratorVersion.VERSION)
                .fromRuntime()
                .wallTime(Duration.ofNanos(System.nanoTime() - started))
                .config("model", protocol.modelConfig())
                .config("cam", CamConfig.BASELINE)
                .build();
        out.write(table(), "quickstart", prov);
        out.write(errorAnatomy(), "error_anatomy", prov);
        out.write(fpSources(), "fp_sources", prov);
        out.writeFigure(overlays(), "cam_overlays");
        out.writeFigure(lossCurve(), "loss");
        return out.dir();
    }

    /** The baseline CAM's honest score (threshold chosen on val, scored on train). */
    public double mIoU() {
        return need().scores().get(CamKind.BASELINE).honest().metrics().mIoU();
    }

    private BaselineExperiment.SeedResult need() {
        if (result == null) {
            throw new IllegalStateException("call trainAndScore() first");
        }
        return result;
    }
}
