package org.wsss4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EnginesTest {
    @Test
    void startsOfflineOnCpu() {
        Engine e = Engines.init();
        assertEquals("PyTorch", e.getEngineName());
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals(Device.cpu(), Engines.resolve("cpu"));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            assertEquals(54f, a.matMul(a).sum().getFloat(), 1e-6); // [[7,10],[15,22]]
        }
    }

    @Test
    void unknownDeviceNamesTheValue() {
        var ex = assertThrows(IllegalArgumentException.class, () -> Engines.resolve("tpu"));
        assertEquals(true, ex.getMessage().contains("'tpu'"));
    }

    @Test
    void unknownProfileNamesTheValue() {
        var ex = assertThrows(IllegalArgumentException.class, () -> Profile.named("huge"));
        assertEquals(true, ex.getMessage().contains("'huge'"));
    }
}
