package org.wsss4j.runtime;

import java.nio.file.Path;

/**
 * Where the kit reads and writes: {@code WSSS4J_HOME} (data, checkpoints; default
 * ~/.cache/wsss4j) and {@code WSSS4J_RESULTS} (tables; default ./results). Environment variable
 * first, then the system property of the same name in lower case with dots (wsss4j.home).
 */
public final class WsssPaths {
    private WsssPaths() {}

    /** Root for generated data, downloaded data and cached checkpoints. */
    public static Path home() {
        String v = setting("WSSS4J_HOME", "wsss4j.home");
        return v != null
                ? Path.of(v).toAbsolutePath()
                : Path.of(System.getProperty("user.home"), ".cache", "wsss4j");
    }

    /** Root under which every experiment writes results/&lt;experiment&gt;/&lt;table&gt;.*. */
    public static Path results() {
        String v = setting("WSSS4J_RESULTS", "wsss4j.results");
        return v != null ? Path.of(v).toAbsolutePath() : Path.of("results").toAbsolutePath();
    }

    public static Path data() {
        return home().resolve("data");
    }

    public static Path checkpoints() {
        return home().resolve("checkpoints");
    }

    /**
     * Warm-up checkpoints that ship with the kit ({@code WSSS4J_SHIPPED}; default: the folder
     * {@code checkpoints} beside the results root, i.e. the checkout's own checkpoints/), read
     * only: a cache miss whose key is there is copied from it instead of trained.
     */
    public static Path shippedCheckpoints() {
        String v = setting("WSSS4J_SHIPPED", "wsss4j.shipped");
        if (v != null) {
            return Path.of(v).toAbsolutePath();
        }
        Path parent = results().getParent();
        return parent == null ? Path.of("checkpoints").toAbsolutePath()
                : parent.resolve("checkpoints");
    }

    /** Environment wins over the system property, as in DJL. */
    public static String setting(String env, String property) {
        String v = System.getenv(env);
        if (v == null || v.isBlank()) {
            v = System.getProperty(property);
        }
        return v == null || v.isBlank() ? null : v;
    }
}
