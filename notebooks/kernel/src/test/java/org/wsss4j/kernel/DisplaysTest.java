package org.wsss4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class DisplaysTest {
    private static final MIMEType PNG = MIMEType.parse("image/png");
    private static final MIMEType HTML = MIMEType.parse("text/html");
    private static final MIMEType TEXT = MIMEType.parse("text/plain");

    @Test
    void anyBufferedImageBecomesAnInlinePngWithItsPixels() throws IOException {
        BufferedImage im = new BufferedImage(7, 5, BufferedImage.TYPE_BYTE_GRAY);
        im.setRGB(3, 2, Color.WHITE.getRGB());
        DisplayData d = Displays.render(im);
        BufferedImage back = decode(d);
        assertEquals(7, back.getWidth());
        assertEquals(5, back.getHeight());
        assertEquals(0xFFFFFFFF, back.getRGB(3, 2));
        assertEquals(0xFF000000, back.getRGB(0, 0));
        assertEquals("[image 7x5]", d.getData(TEXT));
        assertNull(d.getData(HTML));
    }

    @Test
    void xchartChartsAreRenderedToPng() throws IOException {
        XYChart chart = new XYChartBuilder().width(320).height(240).title("loss").build();
        chart.addSeries("train", new double[] {0, 1, 2}, new double[] {1.0, 0.5, 0.25});
        BufferedImage back = decode(Displays.render(chart));
        assertEquals(320, back.getWidth());
        assertEquals(240, back.getHeight());
    }

    @Test
    void tablesawTablesBecomeEscapedHtmlAndText() {
        Table t = Table.create("<b>results</b>",
                StringColumn.create("method", "AD-CAM <script>alert(1)</script>", "A&B \"q\""),
                DoubleColumn.create("mIoU", 61.25, 58.5));
        DisplayData d = Displays.render(t);
        String html = (String) d.getData(HTML);
        assertNotNull(html);
        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("<b>results"), html);
        assertTrue(html.contains("AD-CAM &lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertTrue(html.contains("A&amp;B &quot;q&quot;"), html);
        assertTrue(html.contains("<th>mIoU</th>") && html.contains("61.25"), html);
        assertEquals(2, html.split("<tr>").length - 2, "header row + 2 body rows");
        assertTrue(((String) d.getData(TEXT)).contains("58.5"));
    }

    @Test
    void everythingElseIsPlainText() {
        DisplayData d = Displays.render(java.util.List.of(1, 2));
        assertEquals("[1, 2]", d.getData(TEXT));
        assertNull(d.getData(PNG));
    }

    private static BufferedImage decode(DisplayData d) throws IOException {
        String b64 = (String) d.getData(PNG);
        assertNotNull(b64, "no image/png in the bundle");
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64)));
    }
}
