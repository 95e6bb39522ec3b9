package org.wsss4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallTimingTest {
    @Test
    void callsWarmupPlusRunsTimesAndReportsWhatItTimed() {
        AtomicInteger calls = new AtomicInteger();
        CallTiming t = CallTiming.measure(2, 4, calls::incrementAndGet);
        assertEquals(6, calls.get());
        assertEquals(2, t.warmup());
        assertEquals(4, t.runs());
        assertTrue(t.minMs() >= 0 && t.minMs() <= t.medianMs() && t.medianMs() <= t.maxMs(),
                t.toString());
        JsonObject o = new JsonObject();
        new CallTiming(1, 2, 1.234, 1.0, 1.468).addTo(o);
        assertEquals(1.23, o.get("median_ms").getAsDouble());
        assertEquals(1.47, o.get("max_ms").getAsDouble());
        assertEquals(2, o.get("runs").getAsInt());
        assertThrows(IllegalArgumentException.class, () -> CallTiming.measure(0, 0, () -> {}));
        assertThrows(IllegalArgumentException.class, () -> CallTiming.measure(-1, 1, () -> {}));
    }
}
