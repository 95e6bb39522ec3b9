package org.wsss4j.data.weights;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a file under the project's shared/fixtures folder (beside or above the checkout). */
final class SharedFixtures {
    private SharedFixtures() {}

    /** {@code shared/fixtures/<relative>}, or null when no shared/ folder is reachable. */
    static Path find(String relative) {
        String env = System.getenv("WSSS4J_SHARED");
        if (env != null && Files.exists(Path.of(env, "fixtures", relative))) {
            return Path.of(env, "fixtures", relative);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("shared").resolve("fixtures").resolve(relative);
            if (Files.exists(f)) {
                return f;
            }
        }
        Path work = Path.of("/work/shared/fixtures", relative);
        return Files.exists(work) ? work : null;
    }
}
