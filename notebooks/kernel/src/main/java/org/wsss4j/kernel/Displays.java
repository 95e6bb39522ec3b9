package org.wsss4j.kernel;

import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.wsss4j.notebook.Nb;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Turns a cell's value into Jupyter's MIME bundle: {@code image/png} for any {@link RenderedImage}
 * and for XChart charts (rendered through {@link BitmapEncoder#getBufferedImage}), {@code
 * text/html} for Tablesaw tables, and always a {@code text/plain} form; plain text for the rest.
 * PNG because nbconvert, JupyterLab and GitHub all show it offline (Plotly needs a CDN).
 */
public final class Displays {
    /** Rows of a table shown in HTML; the text form says how many were left out. */
    static final int MAX_HTML_ROWS = 200;

    private Displays() {}

    /** The MIME bundle of {@code value}; null renders as the text {@code null}. */
    public static DisplayData render(Object value) {
        if (value instanceof DisplayData) {
            return (DisplayData) value;
        }
        DisplayData out = new DisplayData();
        if (value instanceof RenderedImage) {
            out.putData("image/png", png((RenderedImage) value));
        } else if (value instanceof Chart) {
            out.putData("image/png", png(BitmapEncoder.getBufferedImage((Chart<?, ?>) value)));
        } else if (value instanceof Table) {
            out.putHTML(html((Table) value));
        }
        out.putText(Nb.text(value));
        return out;
    }

    /** Base64 PNG, as Jupyter's {@code image/png} expects. */
    static String png(RenderedImage image) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", buf)) {
                // Some image types have no PNG writer (e.g. 4-channel CMYK); copy to ARGB first.
                BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(),
                        BufferedImage.TYPE_INT_ARGB);
                rgb.createGraphics().drawRenderedImage(image, null);
                buf.reset();
                ImageIO.write(rgb, "png", buf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode the image as PNG", e);
        }
        return Base64.getEncoder().encodeToString(buf.toByteArray());
    }

    /** An HTML table with every name and cell escaped. */
    static String html(Table t) {
        StringBuilder sb = new StringBuilder();
        sb.append("<table class=\"wsss4j-table\">\n");
        if (t.name() != null && !t.name().isBlank()) {
            sb.append("<caption>").append(escape(t.name())).append("</caption>\n");
        }
        sb.append("<thead><tr>");
        for (Column<?> c : t.columns()) {
            sb.append("<th>").append(escape(c.name())).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        int rows = Math.min(t.rowCount(), MAX_HTML_ROWS);
        for (int r = 0; r < rows; r++) {
            sb.append("<tr>");
            for (Column<?> c : t.columns()) {
                boolean numeric = c.type().name().matches("INTEGER|LONG|SHORT|FLOAT|DOUBLE");
                sb.append(numeric ? "<td style=\"text-align:right\">" : "<td>")
                        .append(escape(c.getString(r)))
                        .append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>\n");
        if (t.rowCount() > rows) {
            sb.append("<p>").append(t.rowCount() - rows).append(" more rows not shown</p>\n");
        }
        return sb.toString();
    }

    /** Escapes text for HTML element content and attribute values. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '"': sb.append("&quot;"); break;
                case '\'': sb.append("&#39;"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }
}
