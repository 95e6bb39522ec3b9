package org.wsss4j.report;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw table as a GitHub-flavoured Markdown table: one header row, numeric columns
 * right-aligned, cells printed as in the CSV (fixed decimals, missing empty), {@code |} escaped.
 */
public final class MarkdownTable {
    private MarkdownTable() {}

    /** With {@link ResultsWriter#DECIMALS} decimals. */
    public static String of(Table table) {
        return of(table, ResultsWriter.DECIMALS);
    }

    /** Markdown text, every line ending in {@code \n}. */
    public static String of(Table table, int decimals) {
        List<Column<?>> cols = table.columns();
        if (cols.isEmpty()) {
            throw new IllegalArgumentException(
                    "table '" + table.name() + "' has no columns to print");
        }
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>();
        List<String> align = new ArrayList<>();
        for (Column<?> c : cols) {
            header.add(escape(c.name()));
            align.add(Cells.isNumeric(c) ? "---:" : "---");
        }
        line(sb, header);
        line(sb, align);
        for (int r = 0; r < table.rowCount(); r++) {
            List<String> cells = new ArrayList<>();
            for (Column<?> c : cols) {
                cells.add(escape(Cells.format(c, r, decimals)));
            }
            line(sb, cells);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells) {
        sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
