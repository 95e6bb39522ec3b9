package org.wsss4j.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.wsss4j.data.IndexedPng.LabelMap;
import org.wsss4j.data.Palette;

/**
 * Pictures of maps on images for figures of good and bad cases: a class map as a jet heat
 * overlay, a label map in VOC palette colours, nearest-neighbour upscaling for tiny synthetic
 * images, and a captioned grid. Images are plain interleaved RGB bytes ({@code rgb[3 * (y * w +
 * x) + channel]}), maps row-major {@code [h * w]}, so any source can be shown.
 */
public final class Overlays {
    /** Weight of the overlay colour where none is given (MCTformer's CAM figures use 0.5). */
    public static final double DEFAULT_ALPHA = 0.5;

    private Overlays() {}

    /** The RGB bytes as an image. */
    public static BufferedImage image(int width, int height, byte[] rgb) {
        checkRgb(width, height, rgb);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int i = 0, n = width * height; i < n; i++) {
            img.setRGB(i % width, i / width, pixel(rgb, i));
        }
        return img;
    }

    /**
     * The classic jet colour of {@code v} in [0, 1] (values outside are clamped): dark blue at 0,
     * cyan, yellow, dark red at 1. Packed 0xRRGGBB.
     */
    public static int jet(double v) {
        double x = Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
        int r = channel(1.5 - Math.abs(4 * x - 3));
        int g = channel(1.5 - Math.abs(4 * x - 2));
        int b = channel(1.5 - Math.abs(4 * x - 1));
        return (r << 16) | (g << 8) | b;
    }

    /** {@code map} in jet colours alone. */
    public static BufferedImage heat(int width, int height, float[] map) {
        checkMap(width, height, map);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < map.length; i++) {
            img.setRGB(i % width, i / width, jet(map[i]));
        }
        return img;
    }

    /** {@code map} blended over the image: (1 − alpha)·image + alpha·jet(map). */
    public static BufferedImage heat(int width, int height, byte[] rgb, float[] map, double alpha) {
        checkRgb(width, height, rgb);
        checkMap(width, height, map);
        checkAlpha(alpha);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < map.length; i++) {
            img.setRGB(i % width, i / width, blend(pixel(rgb, i), jet(map[i]), alpha));
        }
        return img;
    }

    /** {@link #heat(int, int, byte[], float[], double)} with {@link #DEFAULT_ALPHA}. */
    public static BufferedImage heat(int width, int height, byte[] rgb, float[] map) {
        return heat(width, height, rgb, map, DEFAULT_ALPHA);
    }

    /** The label map in VOC palette colours (background black, ignore 255 cream). */
    public static BufferedImage labels(LabelMap labels) {
        BufferedImage img =
                new BufferedImage(labels.width(), labels.height(), BufferedImage.TYPE_INT_RGB);
        byte[] l = labels.labels();
        for (int i = 0; i < l.length; i++) {
            img.setRGB(i % labels.width(), i / labels.width(), Palette.rgb(l[i] & 0xFF));
        }
        return img;
    }

    /**
     * Labels blended over the image in palette colours; background (0) pixels keep the image's
     * own colour so the objects stand out, ignore (255) pixels are blended in their palette colour.
     */
    public static BufferedImage labels(
            int width, int height, byte[] rgb, LabelMap labels, double alpha) {
        checkRgb(width, height, rgb);
        checkAlpha(alpha);
        if (labels.width() != width || labels.height() != height) {
            throw new IllegalArgumentException(
                    "label map is " + labels.width() + "x" + labels.height() + " but image is "
                            + width + "x" + height);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        byte[] l = labels.labels();
        for (int i = 0; i < l.length; i++) {
            int v = l[i] & 0xFF;
            int p = pixel(rgb, i);
            img.setRGB(i % width, i / width, v == 0 ? p : blend(p, Palette.rgb(v), alpha));
        }
        return img;
    }

    /** Nearest-neighbour upscaling by an integer factor (sharp pixels for tiny images). */
    public static BufferedImage scale(BufferedImage img, int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("scale factor must be >= 1, got " + factor);
        }
        int w = img.getWidth(), h = img.getHeight();
        BufferedImage out = new BufferedImage(w * factor, h * factor, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h * factor; y++) {
            for (int x = 0; x < w * factor; x++) {
                out.setRGB(x, y, img.getRGB(x / factor, y / factor));
            }
        }
        return out;
    }

    /**
     * Tiles in rows of {@code cols}, each in a cell as large as the largest tile, with its caption
     * (may be null or shorter than the tiles: missing captions are blank) written under it in
     * black on white.
     */
    public static BufferedImage grid(List<BufferedImage> tiles, int cols, List<String> captions) {
        if (tiles.isEmpty() || cols < 1) {
            throw new IllegalArgumentException(
                    "grid needs tiles and cols >= 1 (got " + tiles.size() + " tiles, cols " + cols
                            + ")");
        }
        int cellW = 0, cellH = 0;
        for (BufferedImage t : tiles) {
            cellW = Math.max(cellW, t.getWidth());
            cellH = Math.max(cellH, t.getHeight());
        }
        boolean anyCaption = captions != null && captions.stream().anyMatch(s -> s != null && !s.isEmpty());
        int pad = 4;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        int capH = anyCaption ? 18 : 0;
        int rows = (tiles.size() + cols - 1) / cols;
        int width = cols * (cellW + pad) + pad;
        int height = rows * (cellH + capH + pad) + pad;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            g.setColor(Color.BLACK);
            FontMetrics fm = anyCaption ? g.getFontMetrics() : null;
            for (int i = 0; i < tiles.size(); i++) {
                int x = pad + (i % cols) * (cellW + pad);
                int y = pad + (i / cols) * (cellH + capH + pad);
                g.drawImage(tiles.get(i), x, y, null);
                String cap = captions != null && i < captions.size() ? captions.get(i) : null;
                if (cap != null && !cap.isEmpty()) {
                    g.setClip(x, y + cellH, cellW, capH);
                    g.drawString(cap, x + 1, y + cellH + fm.getAscent() + 2);
                    g.setClip(null);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static int pixel(byte[] rgb, int i) {
        return ((rgb[3 * i] & 0xFF) << 16) | ((rgb[3 * i + 1] & 0xFF) << 8) | (rgb[3 * i + 2] & 0xFF);
    }

    private static int blend(int a, int b, double alpha) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double v = (1 - alpha) * ((a >> shift) & 0xFF) + alpha * ((b >> shift) & 0xFF);
            out |= ((int) Math.round(v)) << shift;
        }
        return out;
    }

    private static int channel(double v) {
        return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
    }

    private static void checkRgb(int w, int h, byte[] rgb) {
        if (w <= 0 || h <= 0 || rgb.length != 3 * w * h) {
            throw new IllegalArgumentException(
                    "RGB image of " + w + "x" + h + " needs " + (3L * w * h) + " bytes, got "
                            + rgb.length);
        }
    }

    private static void checkMap(int w, int h, float[] map) {
        if (map.length != w * h) {
            throw new IllegalArgumentException(
                    "map has " + map.length + " values, image is " + w + "x" + h + " = " + w * h
                            + " (upsample the map first)");
        }
    }

    private static void checkAlpha(double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
    }
}
