package org.wsss4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateStatusTest {
    @Test
    void failingGatesAreReadFromTheBaselinesGatesTable(@TempDir Path baseline) throws IOException {
        assertTrue(BaselineExperiment.failedGates(baseline).get(0).contains("not measured yet"));
        Files.writeString(baseline.resolve("gates.csv"), "gate,measured,criterion,pass\n"
                + "1 mAP,0.98,>= 0.9,yes\n"
                + "2 partial activation,precision 0.39 recall 0.55,gap >= 0.15,NO\n");
        assertEquals(List.of("2 partial activation: precision 0.39 recall 0.55"),
                BaselineExperiment.failedGates(baseline));
    }

    @Test
    void aTableMadeWhileAGateFailsIsLabelledUntilTheyPass(@TempDir Path dir) throws IOException {
        GateStatus.label(dir, List.of("2 partial activation: x"));
        Path label = dir.resolve(GateStatus.HELD_BACK);
        String text = Files.readString(label);
        assertTrue(text.startsWith("# Not a result") && text.contains("- 2 partial activation: x"),
                text);
        assertTrue(GateStatus.notice(List.of("2 partial activation: x")).contains("NOT results"));
        GateStatus.label(dir, List.of());
        assertTrue(Files.notExists(label));
        assertTrue(GateStatus.notice(List.of()).contains("are results"));
    }
}
