package org.wsss4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
    @Test
    void warmsUpLinearlyToThePeak() {
        LrSchedule s = new LrSchedule(1e-3, 4, 20, 0.01);
        assertEquals(0.25e-3, s.at(0), 1e-15);
        assertEquals(0.5e-3, s.at(1), 1e-15);
        assertEquals(1e-3, s.at(3), 1e-15);
        assertEquals(1e-3, s.at(4), 1e-15); // the cosine starts at the peak
    }

    @Test
    void cosineFallsToTheFloorAndStaysThere() {
        LrSchedule s = new LrSchedule(2e-3, 4, 20, 0.01);
        double mid = s.at(12); // halfway through the cosine: (floor + peak) / 2
        assertEquals(2e-3 * (0.01 + 0.99 * 0.5), mid, 1e-15);
        assertEquals(2e-5, s.at(20), 1e-15);
        assertEquals(2e-5, s.at(100), 1e-15); // a branch past the schedule's end keeps the floor
        for (int t = 4; t < 20; t++) {
            assertTrue(s.at(t + 1) < s.at(t), "not decreasing at step " + t);
        }
    }

    @Test
    void withoutWarmUpStartsAtThePeak() {
        LrSchedule s = new LrSchedule(1e-3, 0, 10, 0.0);
        assertEquals(1e-3, s.at(0), 1e-15);
        assertEquals(0.0, s.at(10), 1e-15);
    }
}
