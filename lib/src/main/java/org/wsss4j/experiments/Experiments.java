package org.wsss4j.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Every experiment the kit can reproduce, in the order `reproduce` runs them. */
public final class Experiments {
    private Experiments() {}

    public static List<Experiment> all() {
        List<Experiment> all = new ArrayList<>();
        all.add(new BaselineExperiment());
        all.add(new AreamExperiment());
        all.add(new AcrExperiment());
        all.add(new AdcamExperiment());
        all.add(new SmafExperiment());
        all.add(new SummaryExperiment());
        return all;
    }

    public static Experiment named(String name) {
        for (Experiment e : all()) {
            if (e.name().equals(name.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        List<String> names = all().stream().map(Experiment::name).toList();
        throw new IllegalArgumentException("Unknown experiment '" + name + "': use one of " + names);
    }
}
