package org.wsss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.wsss4j.kernel.harness.InProcessRunner;
import org.wsss4j.kernel.harness.Notebook;
import org.wsss4j.kernel.harness.NotebookEnv;
import org.wsss4j.runtime.WsssPaths;

/**
 * Layer 1: every notebooks/*.ipynb runs top to bottom in JShell inside this JVM (no Python), with
 * the smoke profile, and writes a CSV into its declared results folder under target/.
 */
class NotebookInProcessTest {
    /** JShell's own start and the first DJL engine load, on top of the per-notebook limit. */
    static final Duration START_ALLOWANCE = Duration.ofSeconds(30);

    @TestFactory
    Stream<DynamicTest> notebooks() {
        return Notebook.listIn(NotebookEnv.notebooksDir()).stream()
                .map(p -> dynamicTest(p.getFileName().toString(), p.toUri(),
                        () -> runAndCheck(Notebook.read(p))));
    }

    static InProcessRunner.Result runAndCheck(Notebook nb) throws Exception {
        Path root = WsssPaths.results();
        // Surefire points WSSS4J_RESULTS into target/; a test must never write into results/.
        assertTrue(root.startsWith(NotebookEnv.target()),
                "WSSS4J_RESULTS must point into " + NotebookEnv.target() + " during tests, not " + root);
        InProcessRunner.Result r = InProcessRunner.run(nb, root,
                Duration.ofSeconds(NotebookEnv.timeoutSeconds()).plus(START_ALLOWANCE));
        assertEquals(nb.nonBlankCodeCells(), r.cellsRun(), nb.name() + ": not every code cell ran");
        List<Path> csv = NotebookEnv.csvFiles(r.resultsDir());
        assertFalse(csv.isEmpty(), nb.name() + " wrote no .csv under " + r.resultsDir());
        return r;
    }

    @Test
    void harnessSelfTestRunsEveryCellAndWritesItsCsv() throws Exception {
        InProcessRunner.Result r =
                runAndCheck(Notebook.read(NotebookEnv.fixture("harness-selftest.ipynb")));
        assertEquals(6, r.cellsRun());
        assertEquals(List.of("image/png+text/plain", "text/html+text/plain"), r.displayed());
        String csv = Files.readString(r.resultsDir().resolve("selftest.csv"), StandardCharsets.UTF_8);
        assertEquals("check,value\nmatmul_sum,83.0\nprofile,smoke\n", csv);
    }

    @Test
    void aFailingCellFailsTheNotebookNamingCellAndLine() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> runAndCheck(Notebook.read(NotebookEnv.fixture("harness-failing.ipynb"))));
        assertTrue(e.getMessage().startsWith("harness-failing: code cell 2 of 3 failed at line 3:"
                + " java.lang.IllegalStateException: planted failure"), e.getMessage());
    }
}
