package org.wsss4j.kernel.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.wsss4j.kernel.KernelSpec;

/**
 * Debian's Jupyter as the tests use it: {@code /usr/bin/jupyter} and {@code /usr/bin/python3}
 * (the {@code python3} on PATH may be a build without Jupyter), the kit's kernelspec registered
 * under {@code target/jupyter} through {@code JUPYTER_PATH}, and every Jupyter folder pointed into
 * {@code target/} so a test run never touches the home directory.
 */
public final class Jupyter {
    /** The exact command a failing test prints when Jupyter is missing. */
    public static final String APT_COMMAND =
            "apt-get install -y jupyter-core jupyter-client python3-nbclient jupyter-nbconvert";

    private static Boolean available;
    private static String problem;
    private static Path kernelspec;

    private Jupyter() {}

    /** {@code WSSS4J_JUPYTER}, else Debian's {@code /usr/bin/jupyter}. */
    public static Path jupyter() {
        String v = System.getenv("WSSS4J_JUPYTER");
        return Path.of(v != null && !v.isBlank() ? v : "/usr/bin/jupyter");
    }

    /** {@code WSSS4J_PYTHON}, else Debian's {@code /usr/bin/python3}. */
    public static Path python() {
        String v = System.getenv("WSSS4J_PYTHON");
        return Path.of(v != null && !v.isBlank() ? v : "/usr/bin/python3");
    }

    /**
     * Fails (never skips) when Jupyter cannot run notebooks here, naming what is missing and the
     * apt command that installs it.
     */
    public static synchronized void require() {
        if (available == null) {
            problem = probe(jupyter(), python());
            available = problem == null;
        }
        if (!available) {
            throw new AssertionError(failure(problem));
        }
    }

    /** The message of a missing-Jupyter failure: what is missing, then the apt command. */
    public static String failure(String problem) {
        return "Jupyter is needed for the real-Jupyter notebook tests but " + problem
                + ". Install Debian's packages: sudo " + APT_COMMAND;
    }

    /** Null when {@code jupyter} and {@code python} can execute notebooks, else what is wrong. */
    public static String probe(Path jupyter, Path python) {
        if (!Files.isExecutable(jupyter)) {
            return jupyter + " is missing";
        }
        if (!Files.isExecutable(python)) {
            return python + " is missing";
        }
        try {
            Run r = Run.exec(List.of(python.toString(), "-c",
                            "import jupyter_client, nbclient, nbconvert, nbformat"),
                    environment(NotebookEnv.target().resolve("jupyter-probe")),
                    NotebookEnv.target(), Duration.ofSeconds(60),
                    NotebookEnv.target().resolve("jupyter/probe.log"));
            if (r.exitCode() != 0) {
                return python + " cannot import jupyter_client/nbclient/nbconvert: " + r.tail(5);
            }
        } catch (RuntimeException e) {
            return python + " did not run: " + e.getMessage();
        }
        return null;
    }

    /**
     * Writes the kit's kernelspec (name {@code java}) into {@code target/jupyter/kernels/java},
     * once per JVM: this module's classes plus its runtime class path (library and dependencies),
     * the same {@link KernelSpec} generator the install script uses.
     */
    public static synchronized Path kernelspec() {
        if (kernelspec == null) {
            List<Path> cp = new ArrayList<>();
            cp.add(Path.of(System.getProperty("wsss4j.kernel.classes",
                    NotebookEnv.target().resolve("classes").toString())));
            Path listFile = Path.of(System.getProperty("wsss4j.kernel.runtimeClasspath",
                    NotebookEnv.target().resolve("runtime-classpath.txt").toString()));
            try {
                for (String e : Files.readString(listFile, StandardCharsets.UTF_8).strip()
                        .split(File.pathSeparator)) {
                    if (!e.isBlank()) {
                        cp.add(Path.of(e));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("The runtime class path list is missing; run the"
                        + " tests through Maven (it writes " + listFile + ")", e);
            }
            kernelspec = new KernelSpec(KernelSpec.currentJava(), cp, "2g", List.of(), Map.of())
                    .write(jupyterDir().resolve("kernels").resolve(KernelSpec.NAME));
        }
        return kernelspec;
    }

    /** target/jupyter: JUPYTER_PATH, with data, config, runtime and IPython folders below it. */
    public static Path jupyterDir() {
        return NotebookEnv.target().resolve("jupyter");
    }

    /**
     * Environment for Jupyter processes: the kit's kernelspec first on {@code JUPYTER_PATH}, every
     * Jupyter folder under target/, the smoke profile, and the given results root.
     */
    public static Map<String, String> environment(Path resultsRoot) {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        // A pyenv or virtualenv on PATH must not leak into Debian's Python.
        env.remove("PYTHONPATH");
        env.remove("PYTHONHOME");
        env.remove("VIRTUAL_ENV");
        env.put("PYTHONNOUSERSITE", "1");
        Path j = jupyterDir();
        env.put("JUPYTER_PATH", j.toString());
        env.put("JUPYTER_DATA_DIR", j.resolve("data").toString());
        env.put("JUPYTER_CONFIG_DIR", j.resolve("config").toString());
        env.put("JUPYTER_RUNTIME_DIR", j.resolve("runtime").toString());
        env.put("IPYTHONDIR", j.resolve("ipython").toString());
        env.put("WSSS4J_PROFILE", "smoke");
        env.put("WSSS4J_RESULTS", resultsRoot.toString());
        env.put("WSSS4J_HOME", NotebookEnv.target().resolve("wsss4j-home").toString());
        String djlCache = System.getProperty("djl.cache.dir");
        if (djlCache != null && !djlCache.isBlank()) {
            env.put("DJL_CACHE_DIR", djlCache);
        }
        return env;
    }

    /** A finished (or killed) process and its combined output. */
    public record Run(int exitCode, boolean timedOut, Path log) {
        /** The last {@code n} lines of the output. */
        public String tail(int n) {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
            } catch (IOException e) {
                return "(no output: " + e.getMessage() + ")";
            }
        }

        /** Runs {@code cmd}; kills the whole process tree when it outlives {@code limit}. */
        public static Run exec(List<String> cmd, Map<String, String> env, Path cwd,
                Duration limit, Path log) {
            try {
                Files.createDirectories(log.getParent());
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().clear();
                pb.environment().putAll(env);
                Process p = pb.start();
                boolean done = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
                if (!done) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    return new Run(-1, true, log);
                }
                return new Run(p.exitValue(), false, log);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot run " + cmd, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while running " + cmd, e);
            }
        }
    }
}
