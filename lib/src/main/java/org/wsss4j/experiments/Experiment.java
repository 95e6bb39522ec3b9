package org.wsss4j.experiments;

import java.io.IOException;
import java.nio.file.Path;
import org.wsss4j.runtime.Profile;

/** One paper's (or the baseline's) ablation: runs its rows and writes results/&lt;name&gt;/. */
public interface Experiment {
    /** Folder name under the results root, e.g. "baseline". */
    String name();

    /** One line for listings. */
    String description();

    /** Runs every row and writes the tables and figures; returns the folder written. */
    Path run(Profile profile) throws IOException;
}
