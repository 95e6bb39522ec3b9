package org.wsss4j.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.wsss4j.data.GeneratorConfig;
import org.wsss4j.data.GeneratorVersion;
import org.wsss4j.data.SyntheticGenerator;
import org.wsss4j.data.VocDataset;
import org.wsss4j.eval.IdealPartMap;
import org.wsss4j.eval.ThresholdedScore;
import org.wsss4j.model.VitConfig;
import org.wsss4j.runtime.Engines;
import org.wsss4j.runtime.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code wsss4j generate}: writes the synthetic benchmark for a profile in VOC layout. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Generate the synthetic WSSS benchmark (PASCAL VOC layout) for a profile.",
            "Same profile and seed give byte-identical files, whatever --threads."
        })
public final class GenerateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--profile", defaultValue = "${env:WSSS4J_PROFILE:-quick}",
            description = "smoke | quick | full (image size and split sizes; default: ${DEFAULT-VALUE})")
    String profile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "output folder (default: WSSS4J_HOME/data/synthetic/<version>/<profile>-s<seed>)")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "data set seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "worker threads (default: all processors)")
    Integer threads;

    @Option(names = "--ideal-part-map",
            description = "also score a map that is exactly each visible part through the model's"
                    + " token grid on train_aug: what gate 2 (partial activation) shows on this"
                    + " geometry without any model")
    boolean idealPartMap;

    @Option(names = "--if-missing",
            description = "do nothing when DIR already holds this exact set (same generator.json)")
    boolean ifMissing;

    @Override
    public Integer call() throws Exception {
        Profile p = Profile.named(profile);
        GeneratorConfig cfg = GeneratorConfig.forProfile(p);
        Path root = (out != null ? out : SyntheticGenerator.defaultRoot(p, seed)).toAbsolutePath();
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        SyntheticGenerator g = new SyntheticGenerator(cfg, seed);
        SyntheticGenerator.Result r = ifMissing ? g.ensure(root, n) : g.generate(root, n);
        var outp = spec.commandLine().getOut();
        if (r.images() == 0) {
            outp.printf("%s is up to date (generator %s, profile %s, seed %d)%n", root,
                    GeneratorVersion.VERSION, p.name(), seed);
        } else {
            outp.printf(Locale.ROOT,
                    "Wrote %d images of %d px to %s in %.1f s (generator %s, profile %s, seed %d,"
                            + " %d threads)%n",
                    r.images(), cfg.imageSize(), root, r.seconds(), GeneratorVersion.VERSION,
                    p.name(), seed, n);
            outp.printf("  splits: %s%n", r.splitSizes());
            outp.printf("  JPEGImages/, SegmentationClass/, SegmentationObject/, SegmentationPart/,"
                    + " SegmentationBackdrop/, ImageSets/Segmentation/, class_names.txt,"
                    + " image_labels.txt, generator.json%n");
        }
        if (idealPartMap) {
            Engines.init();
            int patch = VitConfig.preset(p.preset(), p.imageSize(), 1).patchSize();
            try (NDManager m = NDManager.newBaseManager()) {
                ThresholdedScore s =
                        IdealPartMap.measure(m, VocDataset.open(root, "train_aug"), patch);
                double pr = s.metrics().precision(), rc = s.metrics().recall();
                outp.printf(Locale.ROOT, "Ideal part map (%d-px tokens, %s, threshold %.2f from %s):"
                                + " precision %.3f, recall %.3f (%+.1f points), mIoU %.3f%n",
                        patch, s.split(), s.threshold(), s.thresholdSplit(), pr, rc,
                        100 * (pr - rc), s.metrics().mIoU());
            }
        }
        outp.flush();
        return 0;
    }
}
