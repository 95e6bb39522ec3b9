package org.wsss4j.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.knowm.xchart.internal.chartpart.Chart;
import org.wsss4j.runtime.AtomicFiles;
import org.wsss4j.runtime.PngFiles;
import org.wsss4j.runtime.WsssPaths;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Writes one experiment's results as {@code <dir>/<table>.csv}, {@code .md} and {@code .json}
 * (provenance), and figures as {@code <dir>/<name>.png}. Every file is written to a temporary
 * file in the same folder and renamed with {@code ATOMIC_MOVE}, so a killed run leaves either the
 * old file or the new one, never half a table.
 *
 * <p>The CSV keeps the table's column order and row order, prints doubles with {@link #DECIMALS}
 * fixed decimals (missing and NaN as empty cells), quotes as RFC 4180 and ends lines with
 * {@code \n}: the same table gives the same bytes, so committed results diff cleanly. (Tablesaw's
 * own CSV writer leaves embedded quotes unquoted and prints "-0.0000", hence this one.)
 */
public final class ResultsWriter {
    /** Decimals of every floating-point cell. */
    public static final int DECIMALS = 4;

    /** Size of every chart figure, in pixels. */
    public static final int FIGURE_WIDTH = 800;

    public static final int FIGURE_HEIGHT = 500;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Path dir;

    /** The paths one {@link #write} call produced. */
    public record Written(Path csv, Path markdown, Path json) {}

    public ResultsWriter(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    /** Writer for {@code <results root>/<experiment>/}; the root is {@link WsssPaths#results()}. */
    public static ResultsWriter forExperiment(String experiment) {
        checkName(experiment, "experiment");
        return new ResultsWriter(WsssPaths.results().resolve(experiment));
    }

    public Path dir() {
        return dir;
    }

    /** {@link #write(Table, Path, String, Provenance)} into this writer's folder. */
    public Written write(Table table, String tableName, Provenance prov) throws IOException {
        return write(table, dir, tableName, prov);
    }

    /** {@link #writeFigure(BufferedImage, Path, String)} into this writer's folder. */
    public Path writeFigure(BufferedImage image, String name) throws IOException {
        return writeFigure(image, dir, name);
    }

    /** {@link #writeFigure(Chart, Path, String)} into this writer's folder. */
    public Path writeFigure(Chart<?, ?> chart, String name) throws IOException {
        return writeFigure(chart, dir, name);
    }

    /**
     * Writes {@code <dir>/<tableName>.csv}, {@code .md} (the table in Markdown and a provenance
     * footer line) and {@code .json} (the provenance), each atomically.
     */
    public static Written write(Table table, Path dir, String tableName, Provenance prov)
            throws IOException {
        checkName(tableName, "table");
        Files.createDirectories(dir);
        Path csv = dir.resolve(tableName + ".csv");
        Path md = dir.resolve(tableName + ".md");
        Path json = dir.resolve(tableName + ".json");
        AtomicFiles.writeString(csv, csv(table));
        String markdown =
                MarkdownTable.of(table, DECIMALS) + "\n_Provenance: " + prov.summaryLine() + "_\n";
        AtomicFiles.writeString(md, markdown);
        AtomicFiles.writeString(json, prov.toJson());
        return new Written(csv, md, json);
    }

    /** Writes only a CSV file (atomically), e.g. for {@code wsss4j eval --out}. */
    public static void writeCsv(Table table, Path file) throws IOException {
        AtomicFiles.writeString(file, csv(table));
    }

    /** The CSV text of {@code table} (see the class comment for the format). */
    public static String csv(Table table) {
        List<Column<?>> cols = table.columns();
        StringBuilder sb = new StringBuilder();
        List<String> cells = new ArrayList<>();
        for (Column<?> c : cols) {
            cells.add(quote(c.name()));
        }
        sb.append(String.join(",", cells)).append('\n');
        for (int r = 0; r < table.rowCount(); r++) {
            cells.clear();
            for (Column<?> c : cols) {
                cells.add(quote(Cells.format(c, r, DECIMALS)));
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    /** Writes {@code image} as {@code <dir>/<name>.png}, atomically, at its own size. */
    public static Path writeFigure(BufferedImage image, Path dir, String name) throws IOException {
        checkName(name, "figure");
        Path file = dir.resolve(name + ".png");
        PngFiles.write(image, file);
        return file;
    }

    /** Renders {@code chart} at {@link #FIGURE_WIDTH}×{@link #FIGURE_HEIGHT} into a PNG. */
    public static Path writeFigure(Chart<?, ?> chart, Path dir, String name) throws IOException {
        return writeFigure(Charts.toImage(chart, FIGURE_WIDTH, FIGURE_HEIGHT), dir, name);
    }

    private static String quote(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
                || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    private static void checkName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "bad " + what + " name '" + name
                            + "': use letters, digits, '.', '_' or '-', no folders");
        }
    }
}
