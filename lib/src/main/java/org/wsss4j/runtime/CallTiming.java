package org.wsss4j.runtime;

import com.google.gson.JsonObject;
import java.util.Arrays;

/**
 * Wall time of one operation called repeatedly: {@code warmup} untimed calls, then {@code runs}
 * timed ones, summarised by median, min and max. The operator benchmarks share it so that they
 * time and report alike; each call must end with a read-back so asynchronous devices are
 * measured to completion.
 *
 * @param warmup untimed calls before timing
 * @param runs timed calls
 * @param medianMs median wall time of one call (mean of the middle two for an even count)
 * @param minMs fastest call
 * @param maxMs slowest call
 */
public record CallTiming(int warmup, int runs, double medianMs, double minMs, double maxMs) {

    /** Times {@code call}: {@code warmup} untimed calls, then {@code runs} timed ones. */
    public static CallTiming measure(int warmup, int runs, Runnable call) {
        if (runs < 1 || warmup < 0) {
            throw new IllegalArgumentException(
                    "timing needs runs >= 1 and warmup >= 0, got " + runs + " and " + warmup);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < warmup + runs; i++) {
            long t0 = System.nanoTime();
            call.run();
            if (i >= warmup) {
                ms[i - warmup] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        double median = runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
        return new CallTiming(warmup, runs, median, ms[0], ms[runs - 1]);
    }

    /** Adds warmup, runs, median_ms, min_ms and max_ms (ms to 2 decimals) to {@code o}. */
    public void addTo(JsonObject o) {
        o.addProperty("warmup", warmup);
        o.addProperty("runs", runs);
        o.addProperty("median_ms", round(medianMs));
        o.addProperty("min_ms", round(minMs));
        o.addProperty("max_ms", round(maxMs));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
