package org.wsss4j.kernel.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.wsss4j.kernel.CellEngine;
import org.wsss4j.kernel.CellException;
import org.wsss4j.kernel.CellThread;
import org.wsss4j.kernel.Displays;
import org.wsss4j.notebook.Nb;

/**
 * Layer 1 of the notebook tests: runs a notebook's code cells in JShell inside the test JVM (no
 * Python), with the same {@link CellEngine} the kernel uses, so magics, display and errors behave
 * as in Jupyter. Displays are rendered to MIME bundles too, so a table or image that cannot be
 * rendered fails here already.
 */
public final class InProcessRunner {
    private static final List<String> MIME_TYPES = List.of("image/png", "text/html", "text/plain");
    /**
     * One cell thread for every notebook of this JVM, as a kernel has one: DJL starts on it with
     * the first notebook's {@code Nb.init()}, and libtorch's per-thread state then holds for all.
     */
    private static final CellThread CELLS = new CellThread();

    /**
     * What a run did.
     *
     * @param cellsRun code cells executed (blank ones are skipped, as nbclient does)
     * @param displayed MIME types of each display, in order (e.g. "image/png+text/plain")
     * @param resultsDir the notebook's declared results folder
     */
    public record Result(int cellsRun, List<String> displayed, Path resultsDir) {}

    private InProcessRunner() {}

    /**
     * Runs every code cell of {@code nb}, its working directory being the notebook's folder.
     *
     * @throws AssertionError naming the notebook, the code cell and the cell line when a cell
     *     fails, or when the whole notebook takes longer than {@code limit}
     */
    public static Result run(Notebook nb, Path resultsRoot, Duration limit) {
        Path out = resultsRoot.resolve(nb.resultsDir());
        NotebookEnv.clean(out);
        List<String> displayed = Collections.synchronizedList(new ArrayList<>());
        Nb.setDisplay(value -> displayed.add(mimeTypes(Displays.render(value))));
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "notebook-" + nb.name());
            t.setDaemon(true);
            return t;
        });
        long deadline = System.nanoTime() + limit.toNanos();
        int run = 0;
        try (CellEngine engine = new CellEngine(CellEngine.jvmClasspath(), nb.path().getParent(),
                CELLS)) {
            List<String> cells = nb.codeCells();
            for (int i = 0; i < cells.size(); i++) {
                String code = cells.get(i);
                if (code.isBlank()) {
                    continue;
                }
                Future<Object> f = worker.submit(() -> engine.eval(code));
                try {
                    f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    engine.stop();
                    throw new AssertionError(nb.name() + ": exceeded " + limit.toSeconds()
                            + " s in code cell " + (i + 1) + " of " + cells.size());
                } catch (ExecutionException e) {
                    throw failure(nb, i, cells.size(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(nb.name() + ": interrupted", e);
                }
                run++;
            }
        } finally {
            Nb.setDisplay(null);
            worker.shutdownNow();
        }
        return new Result(run, List.copyOf(displayed), out);
    }

    private static AssertionError failure(Notebook nb, int index, int total, Throwable cause) {
        if (cause instanceof CellException) {
            CellException ce = (CellException) cause;
            return new AssertionError(nb.name() + ": code cell " + (index + 1) + " of " + total
                    + " failed at " + ce.getMessage() + "\n" + String.join("\n", ce.trace()), ce);
        }
        return new AssertionError(nb.name() + ": code cell " + (index + 1) + " of " + total
                + " failed: " + cause, cause);
    }

    private static String mimeTypes(DisplayData d) {
        List<String> types = new ArrayList<>();
        for (String t : MIME_TYPES) {
            if (d.hasDataForType(MIMEType.parse(t))) {
                types.add(t);
            }
        }
        return String.join("+", types);
    }
}
