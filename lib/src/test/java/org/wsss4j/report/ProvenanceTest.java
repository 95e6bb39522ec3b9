package org.wsss4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {
    record Cfg(double alpha, int k) {}

    @Test
    void jsonRoundTripsAndKeepsConfigOrder() {
        Provenance p =
                Provenance.builder()
                        .profile("quick")
                        .seeds(1, 2, 3)
                        .generatorVersion("synth-3")
                        .device("cpu()")
                        .wallTime(Duration.ofMillis(12_345))
                        .created(Instant.parse("2025-01-02T03:04:05.678Z"))
                        .config("zeta", 1)
                        .config("method", new Cfg(0.5, 7))
                        .config("alpha", "x")
                        .build();
        String json = p.toJson();
        assertTrue(json.indexOf("\"zeta\"") < json.indexOf("\"method\""), json);
        assertTrue(json.indexOf("\"method\"") < json.indexOf("\"alpha\""), json);
        assertTrue(json.contains("\"k\": 7"), json);
        Provenance back = Provenance.fromJson(json);
        assertEquals(List.of(1L, 2L, 3L), back.seeds());
        assertEquals("quick", back.profile());
        assertEquals(12.345, back.wallTimeSeconds(), 1e-9);
        assertEquals("2025-01-02T03:04:05Z", back.created());
        assertEquals(Map.of("alpha", 0.5, "k", 7.0), back.config().get("method"));
        assertEquals(p.gitCommit(), back.gitCommit());
    }

    @Test
    void unsetFieldsAreUnknownAndVersionsAreDetected() {
        Provenance p = Provenance.builder().build();
        assertEquals(Provenance.UNKNOWN, p.profile());
        assertEquals(Provenance.UNKNOWN, p.device());
        assertTrue(Double.isNaN(p.wallTimeSeconds()));
        assertEquals("0.35.1", p.djlVersion());
        assertTrue(p.libtorchVersion().startsWith("2.7.1"), p.libtorchVersion());
        // Inside a git checkout the commit is detected; from a source tarball it is "unknown".
        if (insideGitCheckout()) {
            assertTrue(p.gitCommit().matches("[0-9a-f]{40}"), p.gitCommit());
        } else {
            assertEquals(Provenance.UNKNOWN, p.gitCommit());
        }
        // NaN wall time survives JSON (written as NaN, read back).
        assertTrue(Double.isNaN(Provenance.fromJson(p.toJson()).wallTimeSeconds()));
        assertTrue(p.summaryLine().contains("commit " + p.gitCommit().substring(0, 12)));
    }

    private static boolean insideGitCheckout() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (java.nio.file.Files.exists(d.resolve(".git"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void gitOutsideARepositoryIsUnknownNotAFailure(@TempDir Path dir) {
        String[] g = Provenance.git(dir);
        assertEquals(Provenance.UNKNOWN, g[0]);
        assertNull(g[1]);
    }
}
