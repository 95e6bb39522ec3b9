package org.wsss4j.notebook;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.knowm.xchart.internal.chartpart.Chart;
import org.wsss4j.experiments.GateStatus;
import org.wsss4j.runtime.Engines;
import org.wsss4j.runtime.Profile;
import org.wsss4j.runtime.WsssPaths;
import tech.tablesaw.api.Table;

/**
 * What every notebook calls: {@code Profile p = Nb.init();} in its first cell, then {@code
 * Nb.show(table)} / {@code Nb.show(chart)} / {@code Nb.show(image)}.
 *
 * <p>Inside the kit's Jupyter kernel, {@code show} hands the object to the kernel's display (PNG for
 * images and XChart charts, HTML for Tablesaw tables). Anywhere else (the in-process notebook
 * harness, plain JShell, a test) it prints a text form, so a notebook runs unchanged outside Jupyter.
 */
public final class Nb {
    /** Rows of a table printed in its text form. */
    static final int MAX_TEXT_ROWS = 100;

    /** Installed by a kernel; null outside one. Volatile: cells may run on other threads. */
    private static volatile Consumer<Object> display;

    private Nb() {}

    /**
     * Prepares the JVM for a notebook and returns the active profile: headless AWT, DJL offline,
     * quiet logs, the PyTorch engine started, the profile read from {@code WSSS4J_PROFILE}
     * (default {@code quick}). Prints one line describing the environment. Safe to call twice.
     */
    public static Profile init() {
        setIfAbsent("java.awt.headless", "true");
        setIfAbsent("ai.djl.offline", "true");
        // slf4j-simple reads these once, at its first logger; DJL's INFO lines drown the notebook.
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        Profile profile = Profile.fromEnvironment();
        Engines.init();
        System.out.println(summary(profile));
        return profile;
    }

    /**
     * The baseline gates' verdict for a method notebook: labels {@code results/<experiment>/} as
     * held back while a gate fails (see {@link GateStatus}) and returns the sentence to show.
     */
    public static String gates(String experiment) throws IOException {
        List<String> failed = GateStatus.failed();
        GateStatus.label(WsssPaths.results().resolve(experiment), failed);
        return GateStatus.notice(failed);
    }

    /** The one-line environment description that {@link #init()} prints. */
    public static String summary(Profile profile) {
        Objects.requireNonNull(profile, "profile");
        String version = Nb.class.getPackage().getImplementationVersion();
        return "wsss4j " + (version == null ? "dev" : version)
                + " | profile " + profile.name()
                + " (" + profile.dataset().name().toLowerCase() + ", " + profile.imageSize()
                + " px, " + profile.preset() + ")"
                + " | " + Engines.describe()
                + " | Java " + System.getProperty("java.version")
                + " | results " + WsssPaths.results()
                + " | home " + WsssPaths.home();
    }

    /**
     * Shows an object: through the kernel's display when a kernel installed one, otherwise as
     * text on standard output.
     */
    public static void show(Object value) {
        Consumer<Object> sink = display;
        if (sink != null) {
            sink.accept(value);
        } else {
            System.out.println(text(value));
        }
    }

    /**
     * Installs (or, with null, removes) the display a kernel offers; called by the kit's kernel at
     * start-up. The sink receives the raw object and chooses its MIME form.
     */
    public static void setDisplay(Consumer<Object> sink) {
        display = sink;
    }

    /** Whether a kernel display is installed. */
    public static boolean hasDisplay() {
        return display != null;
    }

    /** The text form {@link #show(Object)} prints outside a kernel. */
    public static String text(Object value) {
        if (value instanceof Table) {
            Table t = (Table) value;
            // Tablesaw prints the first and last rows of a longer table, with "..." between.
            return t.print(Math.max(1, Math.min(t.rowCount(), MAX_TEXT_ROWS)));
        }
        if (value instanceof RenderedImage) {
            RenderedImage im = (RenderedImage) value;
            return "[image " + im.getWidth() + "x" + im.getHeight() + "]";
        }
        if (value instanceof Chart) {
            Chart<?, ?> c = (Chart<?, ?>) value;
            String title = c.getTitle() == null || c.getTitle().isEmpty() ? "untitled" : c.getTitle();
            return "[chart '" + title + "' " + c.getWidth() + "x" + c.getHeight() + "]";
        }
        return String.valueOf(value);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
