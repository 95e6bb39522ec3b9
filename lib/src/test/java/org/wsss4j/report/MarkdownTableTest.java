package org.wsss4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class MarkdownTableTest {
    @Test
    void twoRowTable() {
        Table t =
                Table.create(
                        "t",
                        StringColumn.create("method", "baseline", "a|b"),
                        DoubleColumn.create("mIoU", 0.31234567, Double.NaN),
                        IntColumn.create("steps", 100, 2000));
        String expected =
                "| method | mIoU | steps |\n"
                        + "| --- | ---: | ---: |\n"
                        + "| baseline | 0.3123 | 100 |\n"
                        + "| a\\|b |  | 2000 |\n";
        assertEquals(expected, MarkdownTable.of(t));
        assertEquals(
                "| mIoU |\n| ---: |\n| 0.31 |\n|  |\n",
                MarkdownTable.of(t.selectColumns("mIoU"), 2));
    }
}
