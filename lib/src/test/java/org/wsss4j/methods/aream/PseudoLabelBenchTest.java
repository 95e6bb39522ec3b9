package org.wsss4j.methods.aream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;

/** The benchmark runs and reports what it ran (a tiny workload: the real one is not a test). */
class PseudoLabelBenchTest {
    @Test
    void tinyRunReportsItsWorkload() {
        Engines.init();
        PseudoLabelBench.Result r = PseudoLabelBench.run(Engines.device(), 2, 16, 5, 1, 3, 0L);
        assertEquals(3, r.timing().runs());
        assertArrayEquals(Par.scaledDilations(8), r.dilations());
        assertEquals(AreamConfig.PAPER.parIterations(), r.iterations());
        assertTrue(r.timing().minMs() > 0 && r.timing().minMs() <= r.timing().medianMs() && r.timing().medianMs() <= r.timing().maxMs(),
                r.toString());
        JsonObject o = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertEquals("aream-pseudo-label", o.get("bench").getAsString());
        assertEquals(16, o.get("size").getAsInt());
        assertEquals(Engines.device().toString(), o.get("device").getAsString());
        assertThrows(IllegalArgumentException.class,
                () -> PseudoLabelBench.run(Engines.device(), 1, 15, 5, 0, 1, 0L));
    }
}
