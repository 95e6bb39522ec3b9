package org.wsss4j.experiments;

import java.time.Duration;
import org.wsss4j.data.GeneratorVersion;
import org.wsss4j.report.Provenance;
import org.wsss4j.runtime.Profile;

/** The provenance fields every experiment's run records before its own configuration. */
final class RunProvenance {
    private RunProvenance() {}

    /**
     * A builder holding the profile's name and seeds, the generator version, the runtime, and
     * the wall time since {@code startNanos} ({@link System#nanoTime()} when the run began).
     */
    static Provenance.Builder of(Profile profile, long startNanos) {
        return Provenance.builder()
                .profile(profile.name())
                .seeds(profile.seeds())
                .generatorVersion(GeneratorVersion.VERSION)
                .fromRuntime()
                .wallTime(Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
