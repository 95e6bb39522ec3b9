package org.wsss4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.wsss4j.experiments.BaselineExperiment;
import org.wsss4j.experiments.Experiment;
import org.wsss4j.experiments.Experiments;
import org.wsss4j.experiments.GateStatus;
import org.wsss4j.runtime.Engines;
import org.wsss4j.runtime.Profile;
import org.wsss4j.runtime.WsssPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wsss4j reproduce}: every experiment that exists, on one profile, into results/. */
@Command(
        name = "reproduce",
        mixinStandardHelpOptions = true,
        description = {
            "Runs every experiment (or those named with --only) on a profile and writes"
                    + " results/<experiment>/ (CSV, markdown, figures, provenance).",
            "Data and warm-up checkpoints are cached under WSSS4J_HOME (default"
                    + " ~/.cache/wsss4j); results go under WSSS4J_RESULTS (default ./results)."
        })
public final class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--profile", description = "smoke, quick, full, voc or coco (default: ${DEFAULT-VALUE})")
    String profile = "quick";

    @Option(names = "--only", split = ",", description = "experiments to run (default: all)")
    List<String> only;

    @Option(names = "--device", description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE})")
    String device = "auto";

    @Option(names = "--seeds", split = ",", description = "override the profile's seeds (e.g. 0 for a quick look; tables then report 1 seed)")
    List<Long> seeds;

    @Option(names = "--force", description = "run method experiments even when a baseline gate fails (their tables are then not results)")
    boolean force;

    @Option(names = "--list", description = "list the experiments and exit")
    boolean list;

    @Override
    public Integer call() throws Exception {
        if (list) {
            for (Experiment e : Experiments.all()) {
                System.out.printf("%-10s %s%n", e.name(), e.description());
            }
            return 0;
        }
        Profile p = Profile.named(profile);
        if (seeds != null) {
            p = p.withSeeds(seeds);
        }
        List<String> missing = org.wsss4j.experiments.Protocol.missingRealData(p);
        if (!missing.isEmpty()) {
            System.err.println("wsss4j reproduce: profile '" + p.name() + "' cannot start:");
            for (String m : missing) {
                System.err.println("  missing " + m);
            }
            System.err.println("(data-scripts/README.md explains each download; nothing was run)");
            return 2;
        }
        Main.initEngine();
        Engines.useDevice(device);
        List<Experiment> runs = only == null ? Experiments.all()
                : only.stream().map(Experiments::named).toList();
        System.out.println("wsss4j reproduce: profile " + p.name() + " on " + Engines.describe()
                + "; results under " + WsssPaths.results());
        for (Experiment e : runs) {
            List<String> failed = List.of();
            if (!(e instanceof BaselineExperiment)) {
                // Methods' tables mean nothing until the benchmark shows the failure modes.
                failed = GateStatus.failed();
                if (!failed.isEmpty() && !force) {
                    System.out.println(e.name() + ": held back, the baseline does not pass its"
                            + " gates: " + String.join("; ", failed)
                            + " (--force runs it anyway)");
                    continue;
                }
            }
            long t0 = System.nanoTime();
            Path dir = e.run(p);
            GateStatus.label(dir, failed);
            System.out.printf("%s: wrote %s in %.1f s%n", e.name(), dir,
                    (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }
}
