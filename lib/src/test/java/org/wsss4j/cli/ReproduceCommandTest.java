package org.wsss4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsss4j.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproduceCommandTest {
    @Test
    void vocProfileRefusesWithTheCommandsThatFixIt() {
        CliRun r = run("reproduce", "--profile", "voc");
        String msg = r.err();
        assertEquals(2, r.code());
        assertTrue(msg.contains("data-scripts/download-voc2012 && data-scripts/download-sbd"), msg);
        assertTrue(msg.contains("data-scripts/download-deit-small"), msg);
    }

    @Test
    void aForcedTableIsLabelledUntilTheGatesPass(@TempDir Path dir)
            throws IOException {
        ReproduceCommand.labelHeldBack(dir, List.of("2 partial activation: x"));
        Path label = dir.resolve(ReproduceCommand.HELD_BACK);
        String text = Files.readString(label);
        assertTrue(text.startsWith("# Not a result") && text.contains("- 2 partial activation: x"),
                text);
        ReproduceCommand.labelHeldBack(dir, List.of());
        assertTrue(Files.notExists(label));
    }

    @Test
    void unknownProfileAndExperimentAreNamed() {
        assertEquals(2, Main.execute("reproduce", "--profile", "huge"));
        assertEquals(2, Main.execute("reproduce", "--profile", "smoke", "--only", "nope"));
    }
}
