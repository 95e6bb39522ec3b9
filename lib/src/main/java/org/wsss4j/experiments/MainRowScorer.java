package org.wsss4j.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.wsss4j.eval.ThresholdedScore;
import org.wsss4j.runtime.Profile;

/**
 * An experiment that names its baseline row and its main row (methods.md Part 1, "Seeds and
 * noise") and scores them on any split: the summary reads the rows on {@code train} from the
 * experiment's written table and asks for {@code test} here, scored once and never used for a
 * choice. Every choice (background threshold, AD-CAM candidate and steps, SMAF's background
 * constant) is made on {@code val} exactly as the experiment makes it for {@code train}, with the
 * experiment's own code; the models come from the {@link Protocol} cache (a load when cached).
 */
public interface MainRowScorer extends Experiment {

    /** What a row is to the summary. */
    enum Role {
        /** The baseline CAM of the baseline branch (results/baseline): Δ is measured from it. */
        COMMON_BASELINE("common baseline"),
        /** The experiment's own baseline row (e.g. ACR's two-view baseline). */
        OWN_BASELINE("own baseline"),
        /** The paper's main row. */
        MAIN("main row");

        private final String label;

        Role(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** What a row's mIoU measures. */
    enum Kind {
        CAM("CAM mIoU"),
        PSEUDO_MASK("pseudo-mask mIoU");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One row of the experiment's written rows table, picked by its name, never by its score.
     *
     * @param role what the row is to the summary
     * @param label the row's name in the summary
     * @param kind what its mIoU measures
     * @param match column → value that every line of the row has (one line per seed and
     *     threshold protocol)
     */
    record MainRow(Role role, String label, Kind kind, Map<String, String> match) {
        public MainRow {
            match = Map.copyOf(match);
        }
    }

    /**
     * One seed's score of a row on a split: the threshold chosen on {@code val} (honest) and the
     * split's own best threshold (oracle, labelled).
     */
    record SplitScore(MainRow row, long seed, ThresholdedScore honest, ThresholdedScore oracle) {}

    /**
     * The rows table (under {@code <results root>/<experiment>/}, without ".csv") that holds the
     * rows of {@link #mainRows}, one line per seed and threshold protocol.
     */
    String rowsTable();

    /**
     * The baseline and main rows in the experiment's written folder {@code dir} (which a run at
     * {@code profile} wrote).
     */
    List<MainRow> mainRows(Profile profile, Path dir) throws IOException;

    /**
     * Scores the rows of {@link #mainRows} on {@code split} (not "val"), every seed of {@code
     * profile}, choosing everything on {@code val} as the experiment does.
     */
    List<SplitScore> scoreMainRows(Profile profile, String split) throws IOException;
}
