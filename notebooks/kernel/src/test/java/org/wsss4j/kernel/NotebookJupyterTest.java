package org.wsss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.wsss4j.kernel.harness.Jupyter;
import org.wsss4j.kernel.harness.JupyterRunner;
import org.wsss4j.kernel.harness.Notebook;
import org.wsss4j.kernel.harness.NotebookEnv;

/**
 * Layer 2: every notebooks/*.ipynb runs through real Jupyter ({@code jupyter nbconvert --execute},
 * Debian's packages) on the kit's kernel, registered under target/. Fails, never skips, without
 * Jupyter.
 */
class NotebookJupyterTest {
    static Path resultsRoot() {
        return NotebookEnv.target().resolve("jupyter-results-root");
    }

    @TestFactory
    Stream<DynamicTest> notebooks() {
        return Notebook.listIn(NotebookEnv.notebooksDir()).stream()
                .map(p -> dynamicTest(p.getFileName().toString(), p.toUri(),
                        () -> runAndCheck(Notebook.read(p))));
    }

    static JupyterRunner.Result runAndCheck(Notebook nb) {
        JupyterRunner.Result r = JupyterRunner.run(nb, resultsRoot(),
                Duration.ofSeconds(NotebookEnv.timeoutSeconds()));
        assertEquals(nb.nonBlankCodeCells(), r.cellsRun(), nb.name() + ": not every code cell ran");
        assertFalse(NotebookEnv.csvFiles(r.resultsDir()).isEmpty(),
                nb.name() + " wrote no .csv under " + r.resultsDir());
        return r;
    }

    @Test
    void harnessSelfTestRunsThroughJupyter() throws Exception {
        JupyterRunner.Result r =
                runAndCheck(Notebook.read(NotebookEnv.fixture("harness-selftest.ipynb")));
        assertEquals(6, r.cellsRun());
        assertTrue(r.outputTypes().contains("display_data:image/png+text/plain"), r.outputTypes().toString());
        assertTrue(r.outputTypes().contains("display_data:text/html+text/plain"), r.outputTypes().toString());
        String executed = Files.readString(r.executed(), StandardCharsets.UTF_8);
        assertTrue(executed.contains("image size &lt;px&gt;"), "the table's HTML is escaped");
        assertTrue(executed.contains("profile smoke"), "Nb.init's summary line is in the output");
        String csv = Files.readString(r.resultsDir().resolve("selftest.csv"), StandardCharsets.UTF_8);
        assertEquals("check,value\nmatmul_sum,83.0\nprofile,smoke\n", csv);
        // The executed copy is a build artifact; the source notebook stays without outputs.
        assertTrue(r.executed().startsWith(NotebookEnv.target().resolve("executed")));
        assertFalse(Files.readString(NotebookEnv.fixture("harness-selftest.ipynb"))
                .contains("\"output_type\""));
    }

    @Test
    void aFailingCellFailsTheNotebookWithItsError() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> runAndCheck(Notebook.read(NotebookEnv.fixture("harness-failing.ipynb"))));
        assertTrue(e.getMessage().contains("nbconvert failed"), e.getMessage());
        assertTrue(e.getMessage().contains("line 3: java.lang.IllegalStateException: planted failure"),
                e.getMessage());
    }

    @Test
    void missingJupyterFailsWithTheAptCommand() {
        String problem = Jupyter.probe(Path.of("/nonexistent/jupyter"), Jupyter.python());
        String message = Jupyter.failure(problem);
        assertTrue(message.contains("/nonexistent/jupyter is missing"), message);
        assertTrue(message.endsWith("sudo apt-get install -y jupyter-core jupyter-client"
                + " python3-nbclient jupyter-nbconvert"), message);
        assertNull(Jupyter.probe(Jupyter.jupyter(), Jupyter.python()),
                "this machine's Jupyter should work for the notebook tests");
    }
}
