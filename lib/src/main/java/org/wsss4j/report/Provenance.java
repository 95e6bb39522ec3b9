package org.wsss4j.report;

import ai.djl.engine.Engine;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.wsss4j.runtime.Engines;

/**
 * Where a table's numbers came from, written beside it as {@code <table>.json}: profile, seeds,
 * synthetic-generator version, git commit, DJL and libtorch versions, device, wall time, the
 * configuration (records and maps are serialised by gson) and when it was made.
 *
 * <p>Build with {@link #builder()}; what is not set is recorded as {@code "unknown"} rather than
 * failing, so a result is never lost for want of provenance.
 *
 * @param profile runtime profile (smoke, quick, full, voc, coco)
 * @param seeds the seeds the table's rows used
 * @param generatorVersion version string of the synthetic generator (or the real data set's name)
 * @param gitCommit {@code git rev-parse HEAD} of the working directory, or "unknown"
 * @param gitDirty whether tracked files had uncommitted changes (null when unknown)
 * @param djlVersion DJL's version
 * @param libtorchVersion libtorch version and flavour (from the native jar, or the live engine)
 * @param device the device the numbers were computed on
 * @param wallTimeSeconds wall time of the run that made the table
 * @param java the JVM version
 * @param created ISO-8601 instant, seconds precision
 * @param config anything else that decides the numbers (method config records, steps…)
 */
public record Provenance(
        String profile,
        List<Long> seeds,
        String generatorVersion,
        String gitCommit,
        Boolean gitDirty,
        String djlVersion,
        String libtorchVersion,
        String device,
        double wallTimeSeconds,
        String java,
        String created,
        Map<String, Object> config) {

    public static final String UNKNOWN = "unknown";

    private static final Gson GSON =
            new GsonBuilder()
                    .setPrettyPrinting()
                    .serializeNulls()
                    .serializeSpecialFloatingPointValues()
                    .disableHtmlEscaping()
                    .create();

    private static volatile String[] gitCache;

    public Provenance {
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
        // Insertion order is kept so the JSON reads in the order the caller gave.
        config =
                config == null
                        ? Map.of()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /** Pretty-printed JSON. */
    public String toJson() {
        return GSON.toJson(this) + "\n";
    }

    /** Reads {@link #toJson()} output (config values come back as gson's generic types). */
    public static Provenance fromJson(String json) {
        return GSON.fromJson(json, Provenance.class);
    }

    /** One line for a Markdown footer. */
    public String summaryLine() {
        String commit = gitCommit.length() > 12 ? gitCommit.substring(0, 12) : gitCommit;
        return String.format(
                Locale.ROOT,
                "profile %s · seeds %s · generator %s · commit %s%s · %s · DJL %s, libtorch %s ·"
                        + " wall %.1f s · %s",
                profile,
                seeds.isEmpty()
                        ? "none"
                        : seeds.stream().map(String::valueOf).collect(Collectors.joining(",")),
                generatorVersion,
                commit,
                Boolean.TRUE.equals(gitDirty) ? " (dirty)" : "",
                device,
                djlVersion,
                libtorchVersion,
                wallTimeSeconds,
                created);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder; unset fields become "unknown" (versions and commit are detected). */
    public static final class Builder {
        private String profile = UNKNOWN;
        private final List<Long> seeds = new ArrayList<>();
        private String generatorVersion = UNKNOWN;
        private String gitCommit;
        private Boolean gitDirty;
        private String libtorchVersion;
        private String device = UNKNOWN;
        private double wallTimeSeconds = Double.NaN;
        private Instant created;
        private final Map<String, Object> config = new LinkedHashMap<>();

        private Builder() {}

        public Builder profile(String profile) {
            this.profile = profile;
            return this;
        }

        public Builder seeds(long... seeds) {
            for (long s : seeds) {
                this.seeds.add(s);
            }
            return this;
        }

        public Builder seeds(List<Long> seeds) {
            this.seeds.addAll(seeds);
            return this;
        }

        public Builder generatorVersion(String v) {
            this.generatorVersion = v;
            return this;
        }

        /** Overrides the detected commit (e.g. for a table remade from stored numbers). */
        public Builder gitCommit(String commit, Boolean dirty) {
            this.gitCommit = commit;
            this.gitDirty = dirty;
            return this;
        }

        public Builder device(String device) {
            this.device = device;
            return this;
        }

        /**
         * Records the live engine: starts DJL if needed ({@link Engines#init()}) and takes the
         * device and libtorch version from it.
         */
        public Builder fromRuntime() {
            Engine e = Engines.init();
            this.device = Engines.device().toString();
            this.libtorchVersion = e.getVersion();
            return this;
        }

        public Builder wallTime(Duration d) {
            this.wallTimeSeconds = d.toNanos() / 1e9;
            return this;
        }

        public Builder wallTimeSeconds(double s) {
            this.wallTimeSeconds = s;
            return this;
        }

        /** Overrides the creation time (default: when {@link #build()} is called). */
        public Builder created(Instant t) {
            this.created = t;
            return this;
        }

        public Builder config(String key, Object value) {
            this.config.put(key, value);
            return this;
        }

        public Builder config(Map<String, ?> entries) {
            this.config.putAll(entries);
            return this;
        }

        public Provenance build() {
            String commit = gitCommit;
            Boolean dirty = gitDirty;
            if (commit == null) {
                String[] g = git();
                commit = g[0];
                dirty = g[1] == null ? null : Boolean.valueOf(g[1]);
            }
            return new Provenance(
                    profile,
                    seeds,
                    generatorVersion,
                    commit,
                    dirty,
                    detectDjlVersion(),
                    libtorchVersion != null ? libtorchVersion : nativeLibtorchVersion(),
                    device,
                    wallTimeSeconds,
                    System.getProperty("java.version", UNKNOWN),
                    (created != null ? created : Instant.now())
                            .truncatedTo(ChronoUnit.SECONDS)
                            .toString(),
                    config);
        }
    }

    /** DJL's version from its jar; never fails. */
    static String detectDjlVersion() {
        try {
            String v = Engine.getDjlVersion();
            return v == null ? UNKNOWN : v;
        } catch (RuntimeException | LinkageError e) {
            return UNKNOWN;
        }
    }

    /**
     * The libtorch version of the native jar on the class path ({@code native/lib/pytorch.properties},
     * as DJL's {@code Platform} reads it), without starting the engine; "unknown" if absent.
     */
    static String nativeLibtorchVersion() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = Provenance.class.getClassLoader();
        }
        try (InputStream in = cl.getResourceAsStream("native/lib/pytorch.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", UNKNOWN);
            String flavor = p.getProperty("flavor");
            return flavor == null ? v : v + " " + flavor;
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** {commit, dirty} of the working directory, once per JVM; {"unknown", null} without git. */
    static String[] git() {
        String[] g = gitCache;
        if (g == null) {
            g = git(Path.of("").toAbsolutePath());
            gitCache = g;
        }
        return g;
    }

    /** {commit, dirty} of the repository containing {@code dir}; never fails. */
    static String[] git(Path dir) {
        String commit = run(dir, "git", "rev-parse", "HEAD");
        if (commit == null || !commit.matches("[0-9a-f]{7,64}")) {
            return new String[] {UNKNOWN, null};
        }
        String status = run(dir, "git", "status", "--porcelain", "--untracked-files=no");
        return new String[] {commit, status == null ? null : String.valueOf(!status.isEmpty())};
    }

    private static String run(Path dir, String... cmd) {
        try {
            Process p =
                    new ProcessBuilder(cmd)
                            .directory(dir.toFile())
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).trim() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
