package org.wsss4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReproduceCommandTest {
    @Test
    void vocProfileRefusesWithTheCommandsThatFixIt() {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute("reproduce", "--profile", "voc");
        } finally {
            System.setErr(err);
        }
        String msg = buf.toString(StandardCharsets.UTF_8);
        assertEquals(2, code);
        assertTrue(msg.contains("data-scripts/download-voc2012 && data-scripts/download-sbd"), msg);
        assertTrue(msg.contains("data-scripts/download-deit-small"), msg);
    }

    @Test
    void unknownProfileAndExperimentAreNamed() {
        assertEquals(2, Main.execute("reproduce", "--profile", "huge"));
        assertEquals(2, Main.execute("reproduce", "--profile", "smoke", "--only", "nope"));
    }
}
