package org.wsss4j.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.wsss4j.runtime.AtomicFiles;
import org.wsss4j.runtime.WsssPaths;

/**
 * Whether a method's table may be read as a result: only while the baseline passes every gate
 * of the synthetic benchmark (its {@code gates.csv} under the results root). A table made while
 * a gate fails — with {@code reproduce --force} or from a notebook — carries {@value #HELD_BACK}
 * in its folder naming the failing gates; a run with every gate passing removes it.
 */
public final class GateStatus {
    /** The label file written into a held-back table's folder. */
    public static final String HELD_BACK = "HELD_BACK.md";

    private GateStatus() {}

    /** The failing gates under the current results root (empty when every gate passes). */
    public static List<String> failed() throws IOException {
        return BaselineExperiment.failedGates(WsssPaths.results().resolve("baseline"));
    }

    /** Labels {@code dir} as held back by {@code failedGates}, or removes a stale label. */
    public static void label(Path dir, List<String> failedGates) throws IOException {
        Path label = dir.resolve(HELD_BACK);
        if (failedGates.isEmpty()) {
            Files.deleteIfExists(label);
            return;
        }
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder("# Not a result\n\n")
                .append("These tables were made while the baseline failed these gates of the")
                .append(" benchmark:\n\n");
        for (String g : failedGates) {
            sb.append("- ").append(g).append('\n');
        }
        sb.append("\nThey show that the experiment runs and what it measures on this data; do")
                .append(" not read them as the method's effect.\n");
        AtomicFiles.writeString(label, sb);
    }

    /** One paragraph for a notebook: may the tables below be read as results, and why not. */
    public static String notice(List<String> failedGates) {
        if (failedGates.isEmpty()) {
            return "Baseline gates: all pass — the tables below are results.";
        }
        return "Baseline gates failing: " + String.join("; ", failedGates)
                + ". The tables below are NOT results (the benchmark does not show the failure"
                + " modes the method attacks); they show that the experiment runs.";
    }
}
