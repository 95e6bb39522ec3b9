package org.wsss4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process memory as the OS sees it (libtorch allocates outside the Java heap). */
public final class NativeMemory {
    private NativeMemory() {}

    /** Current resident set size in bytes (Linux /proc), or -1 where unavailable. */
    public static long residentBytes() {
        return statusField("VmRSS:");
    }

    /**
     * Resident memory outside the JVM's own committed heap and non-heap: libtorch's tensors, the
     * allocator's arenas and the native libraries. Runs a GC first so the Java side is settled.
     */
    public static long nonJavaBytes() {
        System.gc();
        var mx = java.lang.management.ManagementFactory.getMemoryMXBean();
        long java = mx.getHeapMemoryUsage().getCommitted() + mx.getNonHeapMemoryUsage().getCommitted();
        long rss = residentBytes();
        return rss < 0 ? -1 : rss - java;
    }

    /** Peak resident set size in bytes (Linux /proc), or -1 where unavailable. */
    public static long peakResidentBytes() {
        return statusField("VmHWM:");
    }

    private static long statusField(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
