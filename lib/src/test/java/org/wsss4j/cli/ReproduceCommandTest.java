package org.wsss4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsss4j.cli.CliRun.run;

import org.junit.jupiter.api.Test;

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
    void unknownProfileAndExperimentAreNamed() {
        assertEquals(2, Main.execute("reproduce", "--profile", "huge"));
        assertEquals(2, Main.execute("reproduce", "--profile", "smoke", "--only", "nope"));
    }
}
