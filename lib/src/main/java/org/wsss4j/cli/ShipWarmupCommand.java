package org.wsss4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.wsss4j.experiments.Protocol;
import org.wsss4j.runtime.Engines;
import org.wsss4j.runtime.Profile;
import org.wsss4j.runtime.WsssPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wsss4j ship-warmup}: copies a profile's warm-up checkpoints (training them when they are
 * not cached) into the shipped folder, so that a fresh checkout starts its branches from them
 * instead of paying for the warm-up (methods.md Part 1 allows committing them).
 */
@Command(
        name = "ship-warmup",
        mixinStandardHelpOptions = true,
        description = {
            "Copies the warm-up checkpoint of every seed of a profile (trained first when not"
                    + " cached) into WSSS4J_SHIPPED (default: checkpoints/ beside the results"
                    + " root, i.e. the checkout's checkpoints/).",
            "A shipped checkpoint is used only while its cache key (model, recipe, profile,"
                    + " generator version, code fingerprint) still matches; a stale one is ignored."
        })
public final class ShipWarmupCommand implements Callable<Integer> {
    @Option(names = "--profile", description = "a synthetic profile (default: ${DEFAULT-VALUE})")
    String profile = "quick";

    @Option(names = "--device", description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE})")
    String device = "auto";

    @Option(names = "--seeds", split = ",", description = "override the profile's seeds")
    List<Long> seeds;

    @Override
    public Integer call() throws Exception {
        Profile p = Profile.named(profile);
        if (seeds != null) {
            p = p.withSeeds(seeds);
        }
        Main.initEngine();
        Engines.useDevice(device);
        Protocol protocol = new Protocol(p);
        for (long seed : p.seeds()) {
            Path to = protocol.shipWarmup(seed);
            System.out.println("ship-warmup: seed " + seed + " -> " + to);
        }
        System.out.println("ship-warmup: shipped folder " + WsssPaths.shippedCheckpoints());
        return 0;
    }
}
