package org.wsss4j.methods.aream;

import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * One block's attention statistics on the probe set at one step (see {@link
 * org.wsss4j.cam.AttentionStats}).
 *
 * @param step the training step measured (the weights before that step's update)
 * @param entropy mean row entropy (nats) of the patch-to-patch attention
 * @param gini mean Gini coefficient of those rows (0 uniform → 1 one-hot)
 * @param topKMass mean share of a row's mass in its top {@code topK} entries
 * @param topK k of {@code topKMass} (a tenth of the patches, at least 1)
 * @param classAttentionOnBackground share of the label classes' class-to-patch attention on
 *     ground-truth background tokens
 * @param objectInSegment object tokens' attention inside their own segment ÷ the segment's share
 * @param backgroundInSegment the same for background tokens
 */
public record BlockStats(
        long step,
        int block,
        double entropy,
        double gini,
        double topKMass,
        int topK,
        double classAttentionOnBackground,
        double objectInSegment,
        double backgroundInSegment) {

    /** A long table (one row per step and block) with the run's name in the first column. */
    public static Table table(String run, List<BlockStats> stats) {
        Table t = Table.create("attention-stats");
        t.addColumns(
                StringColumn.create("run", stats.stream().map(s -> run)),
                LongColumn.create("step", stats.stream().mapToLong(BlockStats::step).toArray()),
                IntColumn.create("block", stats.stream().mapToInt(BlockStats::block).toArray()),
                DoubleColumn.create("entropy", stats.stream().mapToDouble(BlockStats::entropy)),
                DoubleColumn.create("gini", stats.stream().mapToDouble(BlockStats::gini)),
                DoubleColumn.create("topKMass", stats.stream().mapToDouble(BlockStats::topKMass)),
                IntColumn.create("topK", stats.stream().mapToInt(BlockStats::topK).toArray()),
                DoubleColumn.create("classAttnOnBackground",
                        stats.stream().mapToDouble(BlockStats::classAttentionOnBackground)),
                DoubleColumn.create("objectInSegment",
                        stats.stream().mapToDouble(BlockStats::objectInSegment)),
                DoubleColumn.create("backgroundInSegment",
                        stats.stream().mapToDouble(BlockStats::backgroundInSegment)));
        return t;
    }
}
