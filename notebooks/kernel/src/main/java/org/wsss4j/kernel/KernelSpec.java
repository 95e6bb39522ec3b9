package org.wsss4j.kernel;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the kit's kernelspec ({@code <dir>/kernel.json}) from the template shipped in this jar,
 * filling in absolute paths: the {@code java} binary, the class path (kernel jar, library jar,
 * library dependencies; the only way the library reaches notebooks), the heap size and the
 * environment. Used by {@code data-scripts/install-kernel} (through {@link #main}) and by the
 * notebook tests, which register their spec under {@code target/}.
 *
 * @param java absolute path of the {@code java} launcher the kernel runs on
 * @param classpath class path entries, in order; made absolute
 * @param xmx maximum heap, e.g. {@code 4g}
 * @param jvmOptions further JVM options, after the fixed ones
 * @param env environment variables the kernel gets (e.g. {@code WSSS4J_PROFILE})
 */
public record KernelSpec(Path java, List<Path> classpath, String xmx, List<String> jvmOptions,
        Map<String, String> env) {
    /** The kernelspec name: IJava's, so notebooks open with IJava or JJava too. */
    public static final String NAME = "java";
    static final String TEMPLATE = "kernel.json.template";

    public KernelSpec {
        Objects.requireNonNull(java, "java");
        if (classpath.isEmpty()) {
            throw new IllegalArgumentException("kernelspec: the class path is empty");
        }
        if (!xmx.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("kernelspec: bad heap size '" + xmx
                    + "' (use e.g. 4g or 2048m)");
        }
        for (String k : env.keySet()) {
            if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("kernelspec: bad environment variable name '"
                        + k + "'");
            }
        }
        java = java.toAbsolutePath().normalize();
        classpath = classpath.stream().map(p -> p.toAbsolutePath().normalize())
                .collect(Collectors.toUnmodifiableList());
        jvmOptions = List.copyOf(jvmOptions);
        env = Map.copyOf(new LinkedHashMap<>(env));
    }

    /** The {@code java} that runs this code: the one the kit was built and tested with. */
    public static Path currentJava() {
        String exe = System.getProperty("os.name", "").toLowerCase().contains("win")
                ? "java.exe" : "java";
        return Path.of(System.getProperty("java.home"), "bin", exe);
    }

    /** The filled-in kernel.json text. */
    public String json() {
        JsonObject spec = template();
        JsonArray argv = new JsonArray();
        for (JsonElement e : spec.getAsJsonArray("argv")) {
            String a = e.getAsString();
            switch (a) {
                case "@java@":
                    argv.add(java.toString());
                    break;
                case "@classpath@":
                    argv.add(classpath.stream().map(Path::toString)
                            .collect(Collectors.joining(File.pathSeparator)));
                    break;
                case "@jvm-options@":
                    jvmOptions.forEach(argv::add);
                    break;
                default:
                    argv.add(a.replace("@xmx@", xmx));
            }
        }
        spec.add("argv", argv);
        JsonObject envJson = new JsonObject();
        env.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(en -> envJson.addProperty(en.getKey(), en.getValue()));
        spec.add("env", envJson);
        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        return gson.toJson(spec) + "\n";
    }

    /**
     * Writes {@code dir/kernel.json} atomically and returns {@code dir}; {@code dir} is what
     * {@code jupyter kernelspec install --name java} takes, or a {@code kernels/java} folder under
     * a {@code JUPYTER_PATH} entry.
     */
    public Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "kernel", ".json.tmp");
            Files.writeString(tmp, json(), StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve("kernel.json"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the kernelspec into " + dir, e);
        }
    }

    private static JsonObject template() {
        try (InputStream in = KernelSpec.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("kernel.json template missing from the class path: "
                        + TEMPLATE);
            }
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code *.jar} in {@code dir}, sorted by name (the copied dependencies). */
    public static List<Path> jarsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("kernelspec: no such folder of jars: " + dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code KernelSpec --out DIR --jar KERNEL_JAR --jars-dir DEPS_DIR [--xmx 4g]
     * [--jvm-option OPT]... [--env NAME=VALUE]...}: writes DIR/kernel.json and prints DIR.
     */
    public static void main(String[] args) {
        Path out = null;
        List<Path> cp = new ArrayList<>();
        String xmx = "4g";
        List<String> opts = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                fail("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--out": out = Path.of(v); break;
                case "--jar": cp.add(Path.of(v)); break;
                case "--jars-dir": cp.addAll(jarsIn(Path.of(v))); break;
                case "--xmx": xmx = v; break;
                case "--jvm-option": opts.add(v); break;
                case "--env":
                    int eq = v.indexOf('=');
                    if (eq <= 0) {
                        fail("--env needs NAME=VALUE, got '" + v + "'");
                    }
                    env.put(v.substring(0, eq), v.substring(eq + 1));
                    break;
                default: fail("unknown option " + a);
            }
        }
        if (out == null) {
            fail("--out DIR is required");
        }
        Path dir = new KernelSpec(currentJava(), cp, xmx, opts, env).write(out);
        System.out.println(dir.toAbsolutePath());
    }

    private static void fail(String message) {
        System.err.println("KernelSpec: " + message);
        System.err.println("usage: KernelSpec --out DIR --jar JAR --jars-dir DIR [--xmx 4g]"
                + " [--jvm-option OPT]... [--env NAME=VALUE]...");
        System.exit(2);
    }
}
