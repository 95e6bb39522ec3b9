package org.wsss4j.model;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared/fixtures (beside the repository, as on developers' machines and CI). */
public final class Fixtures {
    private Fixtures() {}

    public static Path shared() {
        String env = System.getenv("WSSS4J_SHARED");
        if (env != null) {
            return Path.of(env);
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) {
                return p.resolve("shared");
            }
            Path sibling = p.resolveSibling("shared").resolve("fixtures");
            if (p.getParent() != null && Files.isDirectory(sibling)) {
                return p.resolveSibling("shared");
            }
        }
        throw new IllegalStateException(
                "../shared/fixtures not found above " + dir + "; set WSSS4J_SHARED");
    }

    public static Path timmVit() {
        return shared().resolve("fixtures").resolve("timm-vit");
    }
}
