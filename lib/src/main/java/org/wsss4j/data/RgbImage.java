package org.wsss4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.wsss4j.runtime.PngFiles;

/**
 * An 8-bit RGB image: {@code rgb[3 * (y * width + x) + c]}, c = 0 red, 1 green, 2 blue.
 *
 * @param width pixels per row
 * @param height rows
 * @param rgb interleaved samples, length 3 * width * height
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0 || rgb.length != 3 * width * height) {
            throw new IllegalArgumentException(
                    "RgbImage " + width + "x" + height + " needs " + 3L * width * height
                            + " samples, got " + rgb.length);
        }
    }

    /** Sample of channel {@code c} at (x, y), 0..255. */
    public int at(int x, int y, int c) {
        return rgb[3 * (y * width + x) + c] & 0xFF;
    }

    /** Decodes a JPEG or PNG (grey, palette and alpha images become RGB; alpha is dropped). */
    public static RgbImage read(Path file) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": unreadable image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new IOException(file + ": not an image ImageIO can decode");
        }
        return from(img);
    }

    /** Copies a BufferedImage of any type into RGB samples. */
    public static RgbImage from(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        byte[] out = new byte[3 * w * h];
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            // The common PNG/JPEG decode result: swap BGR to RGB without per-pixel colour models.
            byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < w * h; i++) {
                out[3 * i] = bgr[3 * i + 2];
                out[3 * i + 1] = bgr[3 * i + 1];
                out[3 * i + 2] = bgr[3 * i];
            }
            return new RgbImage(w, h, out);
        }
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            // getRGB would pass grey through a linear-to-sRGB conversion and change the values.
            byte[] g = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < w * h; i++) {
                out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = g[i];
            }
            return new RgbImage(w, h, out);
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x], o = 3 * (y * w + x);
                out[o] = (byte) (p >> 16);
                out[o + 1] = (byte) (p >> 8);
                out[o + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, out);
    }

    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < width * height; i++) {
            bgr[3 * i] = rgb[3 * i + 2];
            bgr[3 * i + 1] = rgb[3 * i + 1];
            bgr[3 * i + 2] = rgb[3 * i];
        }
        return img;
    }

    /** Writes a lossless PNG atomically (temp file + rename). */
    public void writePng(Path file) throws IOException {
        PngFiles.write(toBufferedImage(), file);
    }
}
