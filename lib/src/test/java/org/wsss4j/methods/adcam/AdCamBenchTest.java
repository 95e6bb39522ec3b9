package org.wsss4j.methods.adcam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;

/** The benchmark runs and reports what it ran (a tiny workload: the real one is not a test). */
class AdCamBenchTest {
    @Test
    void tinyRunReportsItsWorkload() {
        Engines.init();
        AdCamBench.Result r = AdCamBench.run(Engines.device(), 2, 3, 4,
                new AdCamConfig(Refinement.COSINE, 2, 0), 1, 3, 0L);
        assertEquals("adcam-cosine-t2", r.config());
        assertEquals(9, r.tokens());
        assertEquals(3, r.timing().runs());
        assertTrue(r.timing().minMs() > 0 && r.timing().minMs() <= r.timing().medianMs() && r.timing().medianMs() <= r.timing().maxMs(), r.toString());
        JsonObject o = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertEquals("adcam-refine", o.get("bench").getAsString());
        assertEquals(Engines.device().toString(), o.get("device").getAsString());
        assertEquals(275.0, o.get("anchor_ms").getAsDouble());
        assertThrows(IllegalArgumentException.class,
                () -> AdCamBench.run(Engines.device(), 1, 2, 1, AdCamConfig.DEFAULT, 0, 0, 0L));
    }
}
