package org.wsss4j.report;

import java.util.Locale;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.columns.Column;

/** How every writer prints one cell, so CSV and Markdown show the same text. */
final class Cells {
    private Cells() {}

    static boolean isFloating(Column<?> c) {
        return c.type() == ColumnType.DOUBLE || c.type() == ColumnType.FLOAT;
    }

    static boolean isNumeric(Column<?> c) {
        ColumnType t = c.type();
        return isFloating(c)
                || t == ColumnType.INTEGER
                || t == ColumnType.LONG
                || t == ColumnType.SHORT;
    }

    /**
     * Doubles and floats with {@code decimals} fixed decimals (Locale.ROOT, no grouping, no
     * "-0.0000"); missing, NaN → empty; everything else as Tablesaw prints it.
     */
    static String format(Column<?> c, int row, int decimals) {
        if (c.isMissing(row)) {
            return "";
        }
        if (isFloating(c)) {
            double v = ((Number) c.get(row)).doubleValue();
            if (Double.isNaN(v)) {
                return "";
            }
            if (Double.isInfinite(v)) {
                return v > 0 ? "inf" : "-inf";
            }
            String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
            // A tiny negative rounds to "-0.0000", which would make diffs noisy.
            if (s.startsWith("-") && s.chars().skip(1).allMatch(ch -> ch == '0' || ch == '.')) {
                s = s.substring(1);
            }
            return s;
        }
        return String.valueOf(c.getString(row));
    }
}
