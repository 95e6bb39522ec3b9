package org.wsss4j.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.wsss4j.eval.SegMetrics;
import org.wsss4j.eval.ThresholdedScore;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Results tables with the kit's standard columns, built row by row, and the seed aggregation
 * that every notebook prints.
 *
 * <p>Standard columns, in this order: {@value #METHOD}, {@value #VARIANT}, {@value #SPLIT} (the
 * evaluated split), {@value #THRESHOLD_SPLIT} (the split that chose the background threshold, or
 * "oracle (split)"), {@value #THRESHOLD}, {@value #SEEDS} (one seed, or several joined by ";"),
 * {@value #MIOU} (main convention), {@value #MIOU_MCT} (MCTformer's), {@value #PRECISION} and
 * {@value #RECALL} (foreground). Rows may add free columns (steps, images seen, wall time…),
 * which are created on first use and left empty for earlier rows.
 *
 * <p>Noise: the baseline's std over seeds is the noise floor; a difference smaller than
 * {@value #NOISE_FACTOR}·std is labelled {@value #WITHIN_NOISE} (methods.md Part 1).
 */
public final class Tables {
    public static final String METHOD = "method";
    public static final String VARIANT = "variant";
    public static final String SPLIT = "split";
    public static final String THRESHOLD_SPLIT = "thresholdSplit";
    public static final String THRESHOLD = "threshold";
    public static final String SEEDS = "seeds";
    public static final String MIOU = "mIoU";
    public static final String MIOU_MCT = "mIoU_mct";
    public static final String PRECISION = "precision";
    public static final String RECALL = "recall";

    /** The standard columns in table order. */
    public static final List<String> STANDARD =
            List.of(
                    METHOD, VARIANT, SPLIT, THRESHOLD_SPLIT, THRESHOLD, SEEDS, MIOU, MIOU_MCT,
                    PRECISION, RECALL);

    /** Column added by {@link #meanStd}: rows aggregated. */
    public static final String N = "n";

    public static final double NOISE_FACTOR = 2.0;
    public static final String WITHIN_NOISE = "within noise";
    public static final String BEYOND_NOISE = "beyond noise";
    public static final String NO_NOISE_FLOOR = "no noise floor (1 seed)";
    public static final String BASELINE = "baseline";

    /** Separator of several seeds in one {@value #SEEDS} cell. */
    public static final String SEED_SEPARATOR = ";";

    private Tables() {}

    /** An empty results table with the standard columns. */
    public static Table results(String name) {
        return Table.create(
                name,
                StringColumn.create(METHOD),
                StringColumn.create(VARIANT),
                StringColumn.create(SPLIT),
                StringColumn.create(THRESHOLD_SPLIT),
                DoubleColumn.create(THRESHOLD),
                StringColumn.create(SEEDS),
                DoubleColumn.create(MIOU),
                DoubleColumn.create(MIOU_MCT),
                DoubleColumn.create(PRECISION),
                DoubleColumn.create(RECALL));
    }

    /** Starts a row of {@code table}; {@link Row#add()} appends it. */
    public static Row row(Table table) {
        return new Row(table);
    }

    /** One row under construction; unset cells stay empty. */
    public static final class Row {
        private final Table table;
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Row(Table table) {
            this.table = table;
        }

        public Row method(String v) {
            return set(METHOD, v);
        }

        public Row variant(String v) {
            return set(VARIANT, v);
        }

        public Row split(String v) {
            return set(SPLIT, v);
        }

        public Row thresholdSplit(String v) {
            return set(THRESHOLD_SPLIT, v);
        }

        public Row threshold(double v) {
            return set(THRESHOLD, v);
        }

        public Row seeds(long... seeds) {
            return set(
                    SEEDS,
                    LongStream.of(seeds)
                            .mapToObj(String::valueOf)
                            .collect(Collectors.joining(SEED_SEPARATOR)));
        }

        public Row mIoU(double v) {
            return set(MIOU, v);
        }

        public Row mIoUMct(double v) {
            return set(MIOU_MCT, v);
        }

        public Row precision(double v) {
            return set(PRECISION, v);
        }

        public Row recall(double v) {
            return set(RECALL, v);
        }

        /** mIoU (both), precision and recall of {@code m}. */
        public Row metrics(SegMetrics m) {
            return mIoU(m.mIoU()).mIoUMct(m.mIoUMct()).precision(m.precision()).recall(m.recall());
        }

        /**
         * Split, threshold origin ({@link ThresholdedScore#thresholdLabel()}), threshold and
         * metrics of a thresholded score.
         */
        public Row score(ThresholdedScore s) {
            return split(s.split())
                    .thresholdSplit(s.thresholdLabel())
                    .threshold(s.threshold())
                    .metrics(s.metrics());
        }

        /** Any column: a String, or a number (integers go to a long column, others to double). */
        public Row set(String column, Object value) {
            if (value != null
                    && !(value instanceof String)
                    && !(value instanceof Number)) {
                throw new IllegalArgumentException(
                        "column '" + column + "': only strings and numbers, got "
                                + value.getClass().getSimpleName());
            }
            values.put(column, value);
            return this;
        }

        /** Appends the row to the table (creating new columns) and returns the table. */
        public Table add() {
            int rows = table.rowCount();
            // Check every value before touching the table, so a bad row adds nothing.
            for (Map.Entry<String, Object> e : values.entrySet()) {
                if (table.containsColumn(e.getKey()) && e.getValue() != null) {
                    checkType(table.column(e.getKey()), e.getValue());
                }
            }
            for (Map.Entry<String, Object> e : values.entrySet()) {
                if (!table.containsColumn(e.getKey()) && e.getValue() != null) {
                    Column<?> c = newColumn(e.getKey(), e.getValue());
                    for (int r = 0; r < rows; r++) {
                        c.appendMissing();
                    }
                    table.addColumns(c);
                }
            }
            for (Column<?> c : table.columns()) {
                Object v = values.get(c.name());
                if (v == null) {
                    c.appendMissing();
                } else {
                    append(c, v);
                }
            }
            return table;
        }
    }

    /**
     * Aggregates rows over seeds: one output row per distinct combination of {@code groupBy}
     * values (in order of first appearance), with those columns, {@value #N} (rows in the group),
     * {@value #SEEDS} (the group's seeds joined by ";", when the table has that column) and, per
     * metric, {@code <metric>_mean} and {@code <metric>_std} — the sample standard deviation (n −
     * 1), empty for a single value. Missing metric values are left out of both.
     */
    public static Table meanStd(Table table, List<String> groupBy, List<String> metrics) {
        for (String m : metrics) {
            if (!Cells.isNumeric(table.column(m))) {
                throw new IllegalArgumentException(
                        "metric column '" + m + "' of table '" + table.name() + "' is not numeric");
            }
        }
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int r = 0; r < table.rowCount(); r++) {
            StringBuilder key = new StringBuilder();
            for (String g : groupBy) {
                key.append(table.column(g).getString(r)).append('\u0000');
            }
            groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(r);
        }
        Table out = Table.create(table.name() + "-mean-std");
        List<Column<?>> keyCols = new ArrayList<>();
        for (String g : groupBy) {
            Column<?> c = table.column(g).emptyCopy();
            keyCols.add(c);
            out.addColumns(c);
        }
        IntColumn n = IntColumn.create(N);
        out.addColumns(n);
        boolean hasSeeds = table.containsColumn(SEEDS) && !groupBy.contains(SEEDS);
        StringColumn seeds = StringColumn.create(SEEDS);
        if (hasSeeds) {
            out.addColumns(seeds);
        }
        List<DoubleColumn[]> stats = new ArrayList<>();
        for (String m : metrics) {
            DoubleColumn mean = DoubleColumn.create(m + "_mean");
            DoubleColumn std = DoubleColumn.create(m + "_std");
            out.addColumns(mean, std);
            stats.add(new DoubleColumn[] {mean, std});
        }
        for (List<Integer> rows : groups.values()) {
            int first = rows.get(0);
            for (int i = 0; i < groupBy.size(); i++) {
                copyCell(keyCols.get(i), table.column(groupBy.get(i)), first);
            }
            n.append(rows.size());
            if (hasSeeds) {
                Column<?> sc = table.column(SEEDS);
                seeds.append(
                        rows.stream()
                                .filter(r -> !sc.isMissing(r))
                                .map(sc::getString)
                                .collect(Collectors.joining(SEED_SEPARATOR)));
            }
            for (int i = 0; i < metrics.size(); i++) {
                Column<?> c = table.column(metrics.get(i));
                List<Double> v = new ArrayList<>();
                for (int r : rows) {
                    if (!c.isMissing(r)) {
                        double d = ((Number) c.get(r)).doubleValue();
                        if (!Double.isNaN(d)) {
                            v.add(d);
                        }
                    }
                }
                double[] ms = meanStd(v);
                stats.get(i)[0].append(ms[0]);
                stats.get(i)[1].append(ms[1]);
            }
        }
        return out;
    }

    /** {mean, sample std}; NaN mean for no values, NaN std for fewer than two. */
    static double[] meanStd(List<Double> v) {
        if (v.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = 0;
        for (double d : v) {
            mean += d;
        }
        mean /= v.size();
        if (v.size() < 2) {
            return new double[] {mean, Double.NaN};
        }
        double ss = 0;
        for (double d : v) {
            ss += (d - mean) * (d - mean);
        }
        return new double[] {mean, Math.sqrt(ss / (v.size() - 1))};
    }

    /**
     * {@value #WITHIN_NOISE} when |diff| &lt; {@value #NOISE_FACTOR}·baselineStd, {@value
     * #BEYOND_NOISE} otherwise, {@value #NO_NOISE_FLOOR} when the std is unknown (NaN).
     */
    public static String noiseLabel(double diff, double baselineStd) {
        if (Double.isNaN(baselineStd)) {
            return NO_NOISE_FLOOR;
        }
        return Math.abs(diff) < NOISE_FACTOR * baselineStd ? WITHIN_NOISE : BEYOND_NOISE;
    }

    /**
     * A copy of a {@link #meanStd} table with {@code <metric>_delta} (row mean − baseline mean)
     * and {@code <metric>_noise} ({@link #noiseLabel}; "baseline" on the baseline row), the
     * baseline being the first row whose {@value #METHOD} is {@code baselineMethod}.
     */
    public static Table withNoise(Table aggregated, String metric, String baselineMethod) {
        StringColumn method = aggregated.stringColumn(METHOD);
        for (int r = 0; r < aggregated.rowCount(); r++) {
            if (baselineMethod.equals(method.get(r))) {
                return withNoise(aggregated, metric, r);
            }
        }
        throw new IllegalArgumentException(
                "table '" + aggregated.name() + "' has no row with method '" + baselineMethod
                        + "'");
    }

    /** As {@link #withNoise(Table, String, String)} with the baseline at row {@code baselineRow}. */
    public static Table withNoise(Table aggregated, String metric, int baselineRow) {
        DoubleColumn mean = aggregated.doubleColumn(metric + "_mean");
        DoubleColumn std = aggregated.doubleColumn(metric + "_std");
        double base = mean.getDouble(baselineRow);
        double floor = std.getDouble(baselineRow);
        Table out = aggregated.copy();
        DoubleColumn delta = DoubleColumn.create(metric + "_delta");
        StringColumn label = StringColumn.create(metric + "_noise");
        for (int r = 0; r < out.rowCount(); r++) {
            double d = mean.getDouble(r) - base;
            delta.append(d);
            label.append(r == baselineRow ? BASELINE : noiseLabel(d, floor));
        }
        return out.addColumns(delta, label);
    }

    private static Column<?> newColumn(String name, Object v) {
        if (v instanceof String) {
            return StringColumn.create(name);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return LongColumn.create(name);
        }
        return DoubleColumn.create(name);
    }

    private static void checkType(Column<?> c, Object v) {
        boolean ok =
                v instanceof String
                        ? c.type() == ColumnType.STRING
                        : Cells.isNumeric(c)
                                && (Cells.isFloating(c)
                                        || !(v instanceof Double || v instanceof Float));
        if (!ok) {
            throw new IllegalArgumentException(
                    "column '" + c.name() + "' holds " + c.type().name() + ", cannot take "
                            + v.getClass().getSimpleName() + " " + v);
        }
    }

    private static void append(Column<?> c, Object v) {
        if (c instanceof StringColumn s) {
            s.append((String) v);
        } else if (c instanceof DoubleColumn d) {
            d.append(((Number) v).doubleValue());
        } else if (c instanceof LongColumn l) {
            l.append(((Number) v).longValue());
        } else if (c instanceof IntColumn i) {
            i.append(Math.toIntExact(((Number) v).longValue()));
        } else {
            c.appendObj(v);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void copyCell(Column<T> dst, Column<?> src, int row) {
        dst.append((Column<T>) src, row);
    }
}
