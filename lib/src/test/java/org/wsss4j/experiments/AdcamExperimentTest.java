package org.wsss4j.experiments;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;
import org.wsss4j.runtime.Profile;

class AdcamExperimentTest {
    @Test
    void writesRowsChoicesAndFiguresOnSmoke() throws IOException {
        Engines.init();
        Path dir = new AdcamExperiment().run(Profile.SMOKE.withSeeds(List.of(0L)));
        for (String f : List.of("adcam_rows.csv", "adcam_summary.csv", "val_choice.csv",
                "precision_recall.png", "overlays.png", "adcam_rows.json")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        String rows = Files.readString(dir.resolve("adcam_rows.csv"));
        for (String row : List.of("direct coupling (baseline CAM)", "PatchCAM",
                "diffusion (unrefined) on baseline CAM", "on PatchCAM")) {
            assertTrue(rows.contains(row), "missing row " + row);
        }
        assertTrue(rows.contains(",val,") && rows.contains("oracle"), "both threshold protocols");
        assertTrue(Files.readString(dir.resolve("adcam_rows.json")).contains("UNVERIFIED"));
    }
}
