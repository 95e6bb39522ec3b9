package org.wsss4j.kernel.harness;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Layer 2 of the notebook tests: {@code jupyter nbconvert --to notebook --execute} with the kit's
 * kernel (kernelspec {@code java} registered under target/), writing the executed copy to
 * {@code target/executed/} (never {@code --inplace}), then checking that copy: every code cell has
 * an execution count and no cell has an error output.
 */
public final class JupyterRunner {
    /** Allowance for nbconvert's own start and the kernel JVM's start, on top of the limit. */
    static final Duration START_ALLOWANCE = Duration.ofSeconds(60);

    /**
     * What a run did.
     *
     * @param executed the executed copy under target/executed
     * @param cellsRun code cells that have an execution count
     * @param outputTypes output types of every code cell, in order (e.g. display_data:image/png)
     * @param resultsDir the notebook's declared results folder
     */
    public record Result(Path executed, int cellsRun, List<String> outputTypes, Path resultsDir) {}

    private JupyterRunner() {}

    /**
     * Executes {@code nb} through Jupyter.
     *
     * @throws AssertionError when Jupyter is missing (with the apt command), nbconvert fails or
     *     times out (with the tail of its log, which holds the failing cell), a code cell has no
     *     execution count, or a cell shows an error
     */
    public static Result run(Notebook nb, Path resultsRoot, Duration limit) {
        Jupyter.require();
        Jupyter.kernelspec();
        Path out = resultsRoot.resolve(nb.resultsDir());
        NotebookEnv.clean(out);
        Path executedDir = NotebookEnv.target().resolve("executed");
        Path executed = executedDir.resolve(nb.name() + ".ipynb");
        try {
            Files.deleteIfExists(executed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = List.of(Jupyter.jupyter().toString(), "nbconvert",
                "--to", "notebook", "--execute",
                "--ExecutePreprocessor.kernel_name=java",
                "--ExecutePreprocessor.timeout=" + limit.toSeconds(),
                "--ExecutePreprocessor.startup_timeout=" + START_ALLOWANCE.toSeconds(),
                "--output-dir", executedDir.toString(),
                "--output", nb.name(),
                nb.path().toString());
        Jupyter.Run r = Jupyter.Run.exec(cmd, Jupyter.environment(resultsRoot),
                nb.path().getParent(), limit.plus(START_ALLOWANCE),
                executedDir.resolve(nb.name() + ".log"));
        if (r.timedOut()) {
            throw new AssertionError(nb.name() + ": nbconvert exceeded " + limit.toSeconds()
                    + " s + " + START_ALLOWANCE.toSeconds() + " s start-up; log " + r.log()
                    + ":\n" + r.tail(30));
        }
        if (r.exitCode() != 0) {
            throw new AssertionError(nb.name() + ": nbconvert failed (exit " + r.exitCode()
                    + "); log " + r.log() + ":\n" + r.tail(40));
        }
        return check(nb, executed, out);
    }

    /** Checks an executed notebook: all code cells ran, none shows an error. */
    static Result check(Notebook nb, Path executed, Path resultsDir) {
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(executed, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new AssertionError(nb.name() + ": nbconvert wrote no executed copy at "
                    + executed, e);
        }
        int index = 0;
        int ran = 0;
        List<String> types = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (JsonElement c : root.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if (!"code".equals(cell.get("cell_type").getAsString())) {
                continue;
            }
            index++;
            boolean blank = Notebook.source(cell.get("source")).isBlank();
            JsonElement count = cell.get("execution_count");
            if (count != null && !count.isJsonNull()) {
                ran++;
            } else if (!blank) {
                problems.add("code cell " + index + " has no execution count (it did not run)");
            }
            for (JsonElement o : cell.getAsJsonArray("outputs")) {
                JsonObject out = o.getAsJsonObject();
                String type = out.get("output_type").getAsString();
                if (type.equals("error")) {
                    problems.add("code cell " + index + " shows an error: "
                            + out.get("ename").getAsString() + ": "
                            + out.get("evalue").getAsString());
                }
                if (out.has("data")) {
                    type += ":" + String.join("+", out.getAsJsonObject("data").keySet());
                }
                types.add(type);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(nb.name() + " (" + executed + "): "
                    + String.join("; ", problems));
        }
        return new Result(executed, ran, List.copyOf(types), resultsDir);
    }
}
