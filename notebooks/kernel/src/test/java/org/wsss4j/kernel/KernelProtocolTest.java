package org.wsss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.kernel.harness.Jupyter;
import org.wsss4j.kernel.harness.NotebookEnv;

/**
 * The kernel as Jupyter sees it, driven by jupyter_client (src/test/resources/jupyter/
 * kernel_check.py): execute, interrupt of a busy cell, completion, line-numbered errors, inline
 * PNG, clean shutdown, and exit when the client dies.
 */
class KernelProtocolTest {
    static final Path SCRIPT = Path.of("src/test/resources/jupyter/kernel_check.py").toAbsolutePath();

    @BeforeAll
    static void kernelspec() {
        Jupyter.require();
        Jupyter.kernelspec();
    }

    @Test
    void executeInterruptCompleteErrorsAndShutdown() {
        Path log = NotebookEnv.target().resolve("jupyter/protocol.log");
        Jupyter.Run r = Jupyter.Run.exec(List.of(Jupyter.python().toString(), SCRIPT.toString(),
                        "protocol"),
                Jupyter.environment(NotebookEnv.target().resolve("jupyter-results-root")),
                NotebookEnv.target(), Duration.ofSeconds(240), log);
        assertEquals(0, r.exitCode(), "kernel_check.py failed; log " + log + ":\n" + r.tail(30));
        JsonObject o = JsonParser.parseString(r.tail(1)).getAsJsonObject();

        assertEquals("java", o.get("language").getAsString());
        assertEquals("[\"2\"]", o.get("one_plus_one").toString());

        JsonObject interrupt = o.getAsJsonObject("interrupt");
        assertEquals("error", interrupt.get("status").getAsString(), o.toString());
        assertEquals("line 2: interrupted", interrupt.get("evalue").getAsString());
        // The loop was interrupted 2 s after it started; it must stop within a few seconds more.
        assertTrue(interrupt.get("seconds").getAsDouble() < 8, o.toString());
        assertEquals("[\"true\"]", o.get("after_interrupt").toString(), "the loop ran, the kernel lives");

        JsonObject complete = o.getAsJsonObject("complete");
        assertTrue(complete.get("matches").toString().contains("\"length()\""), o.toString());
        assertEquals(16, complete.get("start").getAsInt());
        assertEquals(19, complete.get("end").getAsInt());

        JsonObject compile = o.getAsJsonObject("compile_error");
        assertEquals("error", compile.get("status").getAsString());
        assertTrue(compile.get("evalue").getAsString().startsWith("line 2: cannot find symbol"), o.toString());
        assertEquals("[\"error\"]", compile.get("outputs").toString());
        assertEquals("line 3: java.lang.IllegalStateException: boom",
                o.getAsJsonObject("runtime_error").get("evalue").getAsString());

        assertEquals("[[\"image/png\",\"text/plain\"]]", o.get("image").toString());
        assertFalse(o.get("alive_after_shutdown").getAsBoolean(), o.toString());
        assertTrue(o.get("shutdown_s").getAsDouble() < 10, o.toString());
    }

    @Test
    void kernelExitsWhenItsClientIsKilled() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Jupyter.python().toString(), SCRIPT.toString(),
                "orphan").directory(NotebookEnv.target().toFile())
                .redirectError(NotebookEnv.target().resolve("jupyter/orphan.log").toFile());
        pb.environment().clear();
        pb.environment().putAll(Jupyter.environment(
                NotebookEnv.target().resolve("jupyter-results-root")));
        Process client = pb.start();
        long kernelPid;
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
            String line = in.readLine();
            assertTrue(line != null && line.contains("kernel_pid"),
                    "the client printed no kernel pid: " + line);
            kernelPid = JsonParser.parseString(line).getAsJsonObject().get("kernel_pid").getAsLong();
            Optional<ProcessHandle> kernel = ProcessHandle.of(kernelPid);
            assertTrue(kernel.isPresent() && kernel.get().isAlive(), "kernel not running");
            client.destroyForcibly(); // SIGKILL: no shutdown request reaches the kernel
            client.waitFor(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (kernel.get().isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            boolean orphaned = kernel.get().isAlive();
            if (orphaned) {
                kernel.get().destroyForcibly();
            }
            assertFalse(orphaned, "the kernel JVM outlived its client by 15 s");
        } finally {
            client.destroyForcibly();
        }
    }
}
