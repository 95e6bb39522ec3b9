package org.wsss4j.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.runtime.WsssPaths;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class ResultsWriterTest {
    private static Table table() {
        return Table.create(
                "r",
                StringColumn.create("method", "base,line", "say \"hi\""),
                DoubleColumn.create("mIoU", 0.123456, -0.00001),
                DoubleColumn.create("recall", Double.NaN, 1.0));
    }

    private static Provenance prov() {
        return Provenance.builder()
                .profile("smoke")
                .seeds(7)
                .created(Instant.parse("2025-01-01T00:00:00Z"))
                .build();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void writesCsvMarkdownJsonAndNoTempFiles(@TempDir Path dir) throws IOException {
        ResultsWriter.Written w = ResultsWriter.write(table(), dir, "cam-rows", prov());
        assertEquals(List.of("cam-rows.csv", "cam-rows.json", "cam-rows.md"), names(dir));
        String csv = Files.readString(w.csv());
        assertEquals(
                "method,mIoU,recall\n\"base,line\",0.1235,\n\"say \"\"hi\"\"\",0.0000,1.0000\n",
                csv);
        String md = Files.readString(w.markdown());
        assertTrue(md.startsWith("| method | mIoU | recall |\n"), md);
        assertTrue(md.endsWith("_Provenance: " + prov().summaryLine() + "_\n"), md);
        assertTrue(!md.contains("\r") && !csv.contains("\r"));
        assertEquals("smoke", Provenance.fromJson(Files.readString(w.json())).profile());

        // Deterministic: the same table gives the same bytes.
        byte[] first = Files.readAllBytes(w.csv());
        ResultsWriter.write(table(), dir, "cam-rows", prov());
        assertArrayEquals(first, Files.readAllBytes(w.csv()));
        assertEquals(3, names(dir).size());
    }

    @Test
    void namesAreCheckedAndExperimentsLiveUnderTheResultsRoot() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ResultsWriter.write(table(), Path.of("target"), "../x", prov()));
        ResultsWriter w = ResultsWriter.forExperiment("baseline");
        assertEquals(WsssPaths.results().resolve("baseline"), w.dir());
        // Surefire points the root into target/, never at the repository's results/.
        assertTrue(w.dir().toString().contains("target"), w.dir().toString());
    }

    @Test
    void figuresArePngs(@TempDir Path dir) throws IOException {
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0xFF0000);
        Path f = new ResultsWriter(dir).writeFigure(img, "tile");
        BufferedImage back = ImageIO.read(f.toFile());
        assertEquals(5, back.getWidth());
        assertEquals(0xFF0000, back.getRGB(1, 1) & 0xFFFFFF);
        Path chart =
                ResultsWriter.writeFigure(
                        Charts.barWithErrors(
                                "t", "mIoU", List.of("a", "b"), new double[] {0.3, 0.4}, null),
                        dir,
                        "bars");
        BufferedImage c = ImageIO.read(chart.toFile());
        assertEquals(ResultsWriter.FIGURE_WIDTH, c.getWidth());
        assertEquals(ResultsWriter.FIGURE_HEIGHT, c.getHeight());
        assertEquals(List.of("bars.png", "tile.png"), names(dir));
    }
}
