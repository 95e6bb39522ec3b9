package org.wsss4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChartBuilder;
import org.wsss4j.runtime.Profile;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class NbTest {
    @AfterEach
    void removeSink() {
        Nb.setDisplay(null);
    }

    @Test
    void initReadsTheProfileFromTheEnvironmentAndPrintsOneLine() {
        // Surefire sets WSSS4J_PROFILE=smoke (parent pom).
        String out = captureOut(() -> assertSame(Profile.SMOKE, Nb.init()));
        assertEquals(1, out.strip().lines().count(), out);
        assertTrue(out.contains("profile smoke"), out);
        assertTrue(out.contains("PyTorch"), out);
        assertEquals("true", System.getProperty("java.awt.headless"));
        assertEquals("true", System.getProperty("ai.djl.offline"));
    }

    @Test
    void showPrintsTextWithoutAKernel() {
        Table t = Table.create("t", StringColumn.create("method", "a<b"), IntColumn.create("n", new int[] {7}));
        String out = captureOut(() -> Nb.show(t));
        assertTrue(out.contains("a<b") && out.contains("7"), out);
        assertEquals("[image 5x3]\n", captureOut(() -> Nb.show(new BufferedImage(5, 3, 1))));
        assertEquals("42\n", captureOut(() -> Nb.show(42)));
        assertEquals("[chart 'miou' 300x200]",
                Nb.text(new XYChartBuilder().width(300).height(200).title("miou").build()));
    }

    @Test
    void showGoesToAnInstalledDisplayOnly() {
        List<Object> shown = new ArrayList<>();
        Nb.setDisplay(shown::add);
        assertTrue(Nb.hasDisplay());
        Object value = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        String out = captureOut(() -> Nb.show(value));
        assertEquals(List.of(value), shown);
        assertEquals("", out);
        Nb.setDisplay(null);
        assertFalse(Nb.hasDisplay());
    }

    private static String captureOut(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }
}
